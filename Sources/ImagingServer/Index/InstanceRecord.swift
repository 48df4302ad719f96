package import Persistence

/// What the index records of one instance: its identifiers, main tags, metadata and stored file.
///
/// Ingest builds it from the parsed file; the index never reads DICOM itself.
package struct InstanceRecord: Sendable {
    /// PatientID, StudyInstanceUID, SeriesInstanceUID and SOPInstanceUID, without padding.
    package var patientID: String
    package var studyInstanceUID: String
    package var seriesInstanceUID: String
    package var sopInstanceUID: String
    /// The values of the main DICOM tags present in the file, of every level, by tag number.
    package var tags: [UInt32: String]
    /// The instance's metadata (transfer syntax, SOP class, reception date, origin, …).
    package var metadata: [MetadataType: String]
    /// The DICOM file in the storage area.
    package var file: StoredFile

    package init(
        patientID: String, studyInstanceUID: String, seriesInstanceUID: String, sopInstanceUID: String,
        tags: [UInt32: String], metadata: [MetadataType: String], file: StoredFile
    ) {
        self.patientID = patientID
        self.studyInstanceUID = studyInstanceUID
        self.seriesInstanceUID = seriesInstanceUID
        self.sopInstanceUID = sopInstanceUID
        self.tags = tags
        self.metadata = metadata
        self.file = file
    }

    /// The Orthanc IDs of the patient, study, series and instance.
    package var ids: ResourceIDs {
        ResourceIDs(
            patientID: patientID, studyInstanceUID: studyInstanceUID, seriesInstanceUID: seriesInstanceUID,
            sopInstanceUID: sopInstanceUID)
    }
}

/// The Orthanc IDs of an instance and of its ancestors.
package struct ResourceIDs: Sendable, Equatable {
    package let patient: OrthancID
    package let study: OrthancID
    package let series: OrthancID
    package let instance: OrthancID

    package init(patient: OrthancID, study: OrthancID, series: OrthancID, instance: OrthancID) {
        self.patient = patient
        self.study = study
        self.series = series
        self.instance = instance
    }

    /// The IDs Orthanc derives from an instance's identifiers.
    package init(patientID: String, studyInstanceUID: String, seriesInstanceUID: String, sopInstanceUID: String) {
        self.init(
            patient: OrthancID(hashing: [patientID]),
            study: OrthancID(hashing: [patientID, studyInstanceUID]),
            series: OrthancID(hashing: [patientID, studyInstanceUID, seriesInstanceUID]),
            instance: OrthancID(hashing: [patientID, studyInstanceUID, seriesInstanceUID, sopInstanceUID]))
    }

    package func id(of level: ResourceLevel) -> OrthancID {
        switch level {
        case .patient: patient
        case .study: study
        case .series: series
        case .instance: instance
        }
    }
}

/// The outcome of recording an instance.
package struct StoreOutcome: Sendable {
    /// Orthanc's `StoreStatus` names.
    package enum Status: String, Sendable {
        case success = "Success"
        case alreadyStored = "AlreadyStored"
    }

    package let status: Status
    package let ids: ResourceIDs
    /// Files no longer referenced (a replaced instance, recycled patients): remove them after the commit.
    package let obsoleteFiles: [ObsoleteFile]
    /// Whether the patient, study and series were created by this instance.
    package let newLevels: Set<ResourceLevel>
}

/// A stored file that the index no longer references.
package struct ObsoleteFile: Sendable, Equatable {
    package let uuid: String
}
