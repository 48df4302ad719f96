import DICOM

/// The options of a retrieve request (`/queries/{id}/retrieve`, `/modalities/{id}/move` and `/get`): Orthanc's
/// `TargetAet`, `Synchronous` (or `Asynchronous`), `Timeout`, `LocalAet`, `Priority`, and `Full` or `Simplify` for
/// the format of the job's `Query` content.
struct RetrieveOptions {
    var targetAET: String?
    var synchronous = true
    var timeout: Int?
    var localAET: String?
    var priority = 0
    var queryFormat = OrthancJSONFormat.short

    init() {}

    /// Reads the options of an object body.
    ///
    /// - Parameter isQuery: whether the body is that of `/modalities/{id}/query`, whose `LocalAet` of the wrong type
    ///   Orthanc words differently.
    /// - Throws: `OrthancError` for a field of the wrong type, with Orthanc 1.10.1's code and details: bad file
    ///   format for Booleans and integers, bad parameter type for AE titles.
    init(_ body: [String: JSONValue], isQuery: Bool = false) throws {
        func string(_ key: String) throws -> String? {
            guard let value = body[key] else { return nil }
            guard let text = value.stringValue else {
                if isQuery { throw OrthancError(.badFileFormat, "The field \(key) must contain a string") }
                throw OrthancError(.badParameterType)
            }
            return text
        }
        func bool(_ key: String) throws -> Bool? {
            guard let value = body[key] else { return nil }
            guard let flag = value.boolValue else {
                throw OrthancError(.badFileFormat, "Boolean value expected in field: \(key)")
            }
            return flag
        }
        func int(_ key: String) throws -> Int? {
            guard let value = body[key] else { return nil }
            guard let number = value.intValue, let small = Int(exactly: number) else {
                throw OrthancError(.badFileFormat, "Integer value expected in field: \(key)")
            }
            return small
        }
        targetAET = try string("TargetAet")
        localAET = try string("LocalAet")
        if let flag = try bool("Synchronous") { synchronous = flag }
        if let flag = try bool("Asynchronous") { synchronous = !flag }
        timeout = try int("Timeout")
        priority = try int("Priority") ?? 0
        if try bool("Full") == true {
            queryFormat = .full
        } else if try bool("Simplify") == true {
            queryFormat = .simplified
        }
    }

    /// `modality` as these options call it: their `LocalAet` and `Timeout` instead of its own.
    func applied(to modality: RemoteModality) -> RemoteModality {
        var modality = modality
        if let localAET, !localAET.isEmpty { modality.localApplicationEntityTitle = localAET }
        if let timeout, timeout > 0 { modality.timeout = timeout }
        return modality
    }
}
