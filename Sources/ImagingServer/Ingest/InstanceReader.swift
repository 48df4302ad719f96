import DICOM
package import NIOCore

/// Reads what the index needs from a DICOM file: identifiers, main tags and instance metadata.
///
/// The file is parsed once, completely: values are slices of the upload and decoded only when asked for, so
/// reading past Pixel Data costs only its header, and proves the file is not truncated (Orthanc refuses
/// truncated files).
package struct InstanceReader {
    /// What was read from one file.
    package struct Reading: Sendable {
        package let patientID: String
        package let studyInstanceUID: String
        package let seriesInstanceUID: String
        package let sopInstanceUID: String
        package let tags: [UInt32: String]
        package let transferSyntaxUID: String
        package let sopClassUID: String?
        /// Where the value of Pixel Data starts in the file, and its VR, when the file has pixels.
        package let pixelDataOffset: Int?
        package let pixelDataVR: String?
    }

    /// Parses a file.
    ///
    /// - Throws: ``IngestRejection`` (`badFileFormat`, with the parser's error as its cause) if the bytes are
    ///   not DICOM or lack the study, series or SOP instance UID (PatientID may be absent or empty, as in Orthanc).
    package static func read(_ bytes: ByteBuffer) throws(IngestRejection) -> Reading {
        let file: DICOMFile
        do {
            file = try DICOMFile(reading: bytes, options: ParseOptions(stopBeforePixelData: false))
        } catch {
            let cause = error as? DICOMError
            throw IngestRejection(
                .unreadableFile,
                OrthancError(.badFileFormat, "Cannot parse an invalid DICOM file (size: \(bytes.readableBytes) bytes)"),
                cause: cause, damage: cause.flatMap { damage(of: bytes, error: $0) })
        }
        let pixelData = file.dataSet[.pixelData]
        return try reading(
            of: file, pixelDataOffset: pixelData?.valueOffset, pixelDataVR: pixelData?.vr.rawValue)
    }

    /// What the index needs of a parsed file, with where its Pixel Data value starts and its VR, which a reader
    /// that stopped before Pixel Data found by itself.
    ///
    /// - Throws: ``IngestRejection`` (`missingIdentifiers`) without the study, series or SOP instance UID.
    static func reading(
        of file: DICOMFile, pixelDataOffset: Int?, pixelDataVR: String?
    ) throws(IngestRejection) -> Reading {
        let dataSet = file.dataSet
        func text(_ tag: DICOMTag) -> String? { value(of: dataSet[tag], in: dataSet) }
        guard let sop = text(.sopInstanceUID), !sop.isEmpty else {
            throw IngestRejection(
                .missingSOPInstanceUID,
                OrthancError(.badFileFormat, "missing StudyInstanceUID, SeriesInstanceUID or SOPInstanceUID"))
        }
        guard let study = text(.studyInstanceUID), !study.isEmpty,
            let series = text(.seriesInstanceUID), !series.isEmpty
        else {
            throw IngestRejection(
                .missingIdentifiers,
                OrthancError(.badFileFormat, "missing StudyInstanceUID, SeriesInstanceUID or SOPInstanceUID"))
        }
        var tags: [UInt32: String] = [:]
        for tag in MainDicomTag.byTag.keys {
            if let element = dataSet[DICOMTag(rawValue: tag)], let rendered = value(of: element, in: dataSet) {
                tags[tag] = rendered
            }
        }
        return Reading(
            patientID: text(.patientID) ?? "", studyInstanceUID: study, seriesInstanceUID: series,
            sopInstanceUID: sop, tags: tags, transferSyntaxUID: file.transferSyntax.uid,
            sopClassUID: text(.sopClassUID), pixelDataOffset: pixelDataOffset, pixelDataVR: pixelDataVR)
    }

    /// How the data set of `bytes` is damaged, from the error the parser threw for it: a cut inside the header of
    /// a top-level element when the bytes before that element parse alone as a complete file (with or without a
    /// SOP Instance UID); malformed for any other length that runs past its end (the data ending inside a value or
    /// a sequence, a first element longer than the data) and for a VR that names none; nil for other errors and
    /// for errors in the file meta information.
    static func damage(of bytes: ByteBuffer, error: DICOMError) -> DataSetDamage? {
        guard [.truncated, .invalidLength, .invalidVR].contains(error.code), let offset = error.offset,
            let dataSet = try? DICOMFile.dataSetBytes(of: bytes)?.dataSet,
            offset >= bytes.readableBytes - dataSet.readableBytes, offset <= bytes.readableBytes
        else { return nil }
        guard error.code == .truncated,
            let before = bytes.getSlice(at: bytes.readerIndex, length: offset),
            let prefix = try? DICOMFile(reading: before, options: ParseOptions(stopBeforePixelData: false))
        else { return .malformed }
        let sop = value(of: prefix.dataSet[.sopInstanceUID], in: prefix.dataSet) ?? ""
        return .cutBetweenElements(prefixHasSOPInstanceUID: !sop.isEmpty)
    }

    /// A value as Orthanc shows it among main tags: strings without padding, backslash-separated values,
    /// binary numbers in decimal.
    static func value(of element: DataElement?, in dataSet: DataSet) -> String? {
        guard let element else { return nil }
        if element.vr.isString {
            return element.strings(in: dataSet.characterSet).joined(separator: "\\")
        }
        let numbers: [String]? =
            element.uint16s?.map { String($0) } ?? element.int16s?.map { String($0) }
            ?? element.uint32s?.map { String($0) } ?? element.int32s?.map { String($0) }
            ?? element.float32s?.map { String($0) } ?? element.float64s?.map { String($0) }
        return numbers?.joined(separator: "\\")
    }
}
