/// A DICOM modality Atrium knows (`DicomModalities`, or `PUT /modalities/{id}`): where it listens and what it may
/// ask of Atrium.
///
/// Orthanc reads a modality either as an array `[AET, Host, Port]` (optionally a fourth item, the manufacturer)
/// or as an object with the fields below; every `Allow*` permission defaults to true.
package struct RemoteModality: Sendable, Equatable {
    package var applicationEntityTitle: String
    package var host: String
    package var port: Int
    package var manufacturer = "Generic"
    package var allowEcho = true
    package var allowFind = true
    package var allowFindWorklist = true
    package var allowGet = true
    package var allowMove = true
    package var allowStore = true
    package var allowStorageCommitment = true
    package var allowTranscoding = true
    package var useDicomTLS = false
    /// The AE title Atrium calls itself when it calls this modality (`LocalAet`; empty: `DicomAet`).
    package var localApplicationEntityTitle = ""
    /// Seconds to wait for the modality (`Timeout`; 0: `DicomScuTimeout`).
    package var timeout = 0

    package init(applicationEntityTitle: String, host: String, port: Int) {
        self.applicationEntityTitle = applicationEntityTitle
        self.host = host
        self.port = port
    }

    /// Reads a modality in either of Orthanc's forms.
    ///
    /// - Throws: `OrthancError.badFileFormat` naming the problem when the value is neither form or a field has
    ///   the wrong type.
    package init(json: JSONValue) throws {
        if let items = json.arrayValue {
            guard items.count == 3 || items.count == 4, let aet = items[0].stringValue, let host = items[1].stringValue,
                let port = Self.port(items[2])
            else { throw OrthancError(.badFileFormat, "a modality is [AET, Host, Port] or an object") }
            self.init(applicationEntityTitle: aet, host: host, port: port)
            if items.count == 4 {
                guard let manufacturer = items[3].stringValue else {
                    throw OrthancError(.badFileFormat, "the manufacturer of a modality is a string")
                }
                self.manufacturer = manufacturer
            }
            return
        }
        guard let object = json.objectValue else {
            throw OrthancError(.badFileFormat, "a modality is [AET, Host, Port] or an object")
        }
        guard let aet = object["AET"]?.stringValue, let port = object["Port"].flatMap(Self.port) else {
            throw OrthancError(.badFileFormat, "a modality needs \"AET\" and \"Port\"")
        }
        let host = object["Host"]?.stringValue ?? "127.0.0.1"
        self.init(applicationEntityTitle: aet, host: host, port: port)
        func flag(_ key: String, _ target: inout Bool) throws {
            guard let value = object[key] else { return }
            guard let flag = value.boolValue else { throw OrthancError(.badFileFormat, "\"\(key)\" is a Boolean") }
            target = flag
        }
        try flag("AllowEcho", &allowEcho)
        try flag("AllowFind", &allowFind)
        try flag("AllowFindWorklist", &allowFindWorklist)
        try flag("AllowGet", &allowGet)
        try flag("AllowMove", &allowMove)
        try flag("AllowStore", &allowStore)
        try flag("AllowStorageCommitment", &allowStorageCommitment)
        try flag("AllowNAction", &allowStorageCommitment)
        try flag("AllowEventReport", &allowStorageCommitment)
        try flag("AllowTranscoding", &allowTranscoding)
        try flag("UseDicomTls", &useDicomTLS)
        if let value = object["Manufacturer"] {
            guard let text = value.stringValue else { throw OrthancError(.badFileFormat, "\"Manufacturer\"") }
            manufacturer = text
        }
        if let value = object["LocalAet"] {
            guard let text = value.stringValue else { throw OrthancError(.badFileFormat, "\"LocalAet\"") }
            localApplicationEntityTitle = text
        }
        if let value = object["Timeout"] {
            guard let number = value.intValue, number >= 0 else { throw OrthancError(.badFileFormat, "\"Timeout\"") }
            timeout = Int(number)
        }
    }

    /// A port given as a number or as a string of digits, as Orthanc accepts.
    private static func port(_ value: JSONValue) -> Int? {
        let number = value.intValue.map(Int.init) ?? value.stringValue.flatMap { Int($0) }
        guard let number, (1...65535).contains(number) else { return nil }
        return number
    }
}

extension RemoteModality {
    /// The modality as `GET /modalities/{id}/configuration` and `/modalities?expand` show it.
    package var json: JSONValue {
        [
            "AET": .string(applicationEntityTitle), "AllowEcho": .bool(allowEcho),
            "AllowEventReport": .bool(allowStorageCommitment), "AllowFind": .bool(allowFind),
            "AllowFindWorklist": .bool(allowFindWorklist), "AllowGet": .bool(allowGet), "AllowMove": .bool(allowMove),
            "AllowNAction": .bool(allowStorageCommitment), "AllowStore": .bool(allowStore),
            "AllowTranscoding": .bool(allowTranscoding), "Host": .string(host),
            "LocalAet": .string(localApplicationEntityTitle), "Manufacturer": .string(manufacturer),
            "Port": .int(Int64(port)), "Timeout": .int(Int64(timeout)), "UseDicomTls": .bool(useDicomTLS),
        ]
    }
}
