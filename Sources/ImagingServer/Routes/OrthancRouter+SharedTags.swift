import DICOM

extension OrthancRouter {
    /// `GET /{patients|studies|series}/{id}/shared-tags[?simplify|?short]`: the tags whose value is the same in
    /// every instance of the resource, in the rendering asked for (sequences, pixel data and null values excluded).
    func sharedTags(_ level: ResourceLevel, _ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse {
        guard let instances = try await context.index.descendants(of: id, level: level, at: .instance) else {
            return .notFound
        }
        let format: OrthancJSONFormat =
            request.flag("simplify") ? .simplified : request.flag("short") ? .short : .full
        var shared: [String: JSONValue]?
        for instance in instances {
            guard let dataSet = try await parsedDataSet(of: instance) else { continue }
            let rendered = try JSONValue(parsing: dataSet.orthancJSON(format: format)).objectValue ?? [:]
            if let current = shared {
                shared = current.filter { rendered[$0.key] == $0.value }
            } else {
                // Like Orthanc, pixel data, sequences and values not shown (null) are left out.
                shared = rendered.filter { key, value in
                    key != "7fe0,0010" && key != "PixelData" && value.arrayValue == nil && value["Type"] != "Sequence"
                        && !value.isNull && value["Value"] != .null
                }
            }
        }
        return .json(.object(shared ?? [:]))
    }
}
