extension OrthancRouter {
    /// `GET` and `PUT /tools/accepted-transfer-syntaxes`: the transfer syntaxes the DICOM server accepts for
    /// storage. `PUT` takes a pattern or a list of patterns (see ``AcceptedTransferSyntaxes/init(requestBody:)``)
    /// and answers the new list; the next associations negotiate with it.
    func acceptedTransferSyntaxes(_ request: RESTRequest) throws -> RESTResponse {
        if request.method == .put {
            context.negotiation.acceptedTransferSyntaxes = try AcceptedTransferSyntaxes(requestBody: request.bodyText)
        }
        return .json(context.negotiation.acceptedTransferSyntaxes.json)
    }

    /// `GET` and `PUT /tools/unknown-sop-class-accepted`: whether the DICOM server accepts storage SOP classes it
    /// does not know. Orthanc answers `1` or `0` as text, and `PUT` takes `1`, `0`, `true` or `false` (spaces
    /// around allowed) and answers an empty text.
    func unknownSOPClassAccepted(_ request: RESTRequest) throws -> RESTResponse {
        guard request.method == .put else { return .text(context.negotiation.unknownSOPClassAccepted ? "1" : "0") }
        switch Substring(request.bodyText).strippingSpaces {
        case "1", "true": context.negotiation.unknownSOPClassAccepted = true
        case "0", "false": context.negotiation.unknownSOPClassAccepted = false
        default: throw OrthancError(.badFileFormat, "Boolean value expected")
        }
        return .text("")
    }
}
