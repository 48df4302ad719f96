/// The entry names of a ZIP archive of instances, laid out as Orthanc's archives are (Orthanc Book, "REST API",
/// archives; checked against Orthanc 1.10.1): `Patient/Study/Series/FILE.dcm`.
///
/// - The patient folder is `PatientID PatientName`, the study folder `AccessionNumber StudyDescription` (or
///   `Unknown Study`), the series folder `Modality SeriesDescription` (or `Unknown Series`). Letters, digits, `.`
///   and `_` are kept, spaces and `^` (the person name separator, PS3.5 6.2.1) become one space, every other
///   character is dropped, and the name is trimmed.
/// - Resources are visited in the order of their Orthanc IDs at every level; a folder whose name is already used
///   by a sibling gets `-2`, `-3`, … appended.
/// - Files of a series are numbered from 0 in eight characters: the first two characters of the modality,
///   upper-cased, then the zero-padded number (`CT000000.dcm`, `00000001.dcm` without a modality).
package struct ArchiveLayout: Sendable {
    /// One instance to archive with what names its folders.
    package struct Item: Sendable {
        package let patient: OrthancID
        package let study: OrthancID
        package let series: OrthancID
        package let instance: OrthancID
        /// Main tags of the study (with its patient's) by tag number.
        package let studyTags: [UInt32: String]
        /// Main tags of the series by tag number.
        package let seriesTags: [UInt32: String]

        package init(
            patient: OrthancID, study: OrthancID, series: OrthancID, instance: OrthancID,
            studyTags: [UInt32: String], seriesTags: [UInt32: String]
        ) {
            self.patient = patient
            self.study = study
            self.series = series
            self.instance = instance
            self.studyTags = studyTags
            self.seriesTags = seriesTags
        }
    }

    /// The instances with their entry names, in archive order; an instance given twice appears once.
    package let entries: [(instance: OrthancID, name: String)]

    package init(_ items: [Item]) {
        var seen: Set<String> = []
        let unique = items.filter { seen.insert($0.instance.value).inserted }
        let sorted = unique.sorted {
            ($0.patient.value, $0.study.value, $0.series.value, $0.instance.value)
                < ($1.patient.value, $1.study.value, $1.series.value, $1.instance.value)
        }
        var folders: [String: String] = [:]  // resource ID → folder path, starting with `/`
        var used: [String: Set<String>] = [:]  // parent path → names of its folders
        var counters: [String: Int] = [:]  // series ID → next file number
        var entries: [(instance: OrthancID, name: String)] = []
        func folder(_ id: OrthancID, in parent: String, named name: String) -> String {
            if let known = folders[id.value] { return known }
            var unique = name
            var suffix = 2
            while used[parent, default: []].contains(unique) {
                unique = "\(name)-\(suffix)"
                suffix += 1
            }
            used[parent, default: []].insert(unique)
            let path = parent + "/" + unique
            folders[id.value] = path
            return path
        }
        for item in sorted {
            func tag(_ tags: [UInt32: String], _ number: UInt32) -> String { tags[number] ?? "" }
            let patientName = Self.cleaned(tag(item.studyTags, 0x0010_0020) + " " + tag(item.studyTags, 0x0010_0010))
            // An empty patient folder name stays empty, as in Orthanc: the entry name then starts with `/`.
            let patientPath = folder(item.patient, in: "", named: patientName)
            let studyName = Self.cleaned(tag(item.studyTags, 0x0008_0050) + " " + tag(item.studyTags, 0x0008_1030))
            let studyPath = folder(
                item.study, in: patientPath, named: studyName.isEmpty ? "Unknown Study" : studyName)
            let modality = tag(item.seriesTags, 0x0008_0060)
            let seriesName = Self.cleaned(modality + " " + tag(item.seriesTags, 0x0008_103E))
            let seriesPath = folder(
                item.series, in: studyPath, named: seriesName.isEmpty ? "Unknown Series" : seriesName)
            let number = counters[item.series.value, default: 0]
            counters[item.series.value] = number + 1
            entries.append((item.instance, String(seriesPath.dropFirst()) + "/" + Self.fileName(modality, number)))
        }
        self.entries = entries
    }

    /// A folder name: letters, digits, `.` and `_` kept, runs of spaces and `^` made one space, others dropped.
    static func cleaned(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "^" {
                pendingSpace = !result.isEmpty
            } else if scalar.isASCII,
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "."
                    || scalar == "_"
            {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The file name of the `number`th instance of a series: eight characters, the modality's first two first.
    static func fileName(_ modality: String, _ number: Int) -> String {
        let prefix = String(modality.uppercased().prefix(2))
        let digits = String(number)
        let width = max(digits.count, 8 - prefix.count)
        return prefix + String(repeating: "0", count: width - digits.count) + digits + ".dcm"
    }
}
