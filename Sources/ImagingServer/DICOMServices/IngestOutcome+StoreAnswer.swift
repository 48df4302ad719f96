import DICOMNetwork

extension IngestOutcome {
    /// The C-STORE response an ingest outcome gives, whichever way the instance came (C-STORE, C-GET), as Orthanc
    /// 1.10.1 answers (checked side by side): success once durable (also when already stored); out of resources
    /// when it cannot be written, when the Study or Series Instance UID is missing, and when the data set is cut
    /// inside an element header after its SOP Instance UID; cannot understand without a SOP Instance UID (the
    /// data set cut before it, or empty) and for other unreadable data sets; and no answer at all, the connection
    /// closed, for a malformed data set (a length that runs past its end).
    var storeAnswer: StoreAnswer {
        let outOfResources = StoreAnswer(
            status: DIMSEStatus.outOfResources, errorComment: "the instance cannot be stored")
        let cannotUnderstand = StoreAnswer(
            status: DIMSEStatus.cannotUnderstand, errorComment: "the data set cannot be read")
        switch self {
        case .stored, .alreadyStored:
            return StoreAnswer(status: DIMSEStatus.success)
        case .rejected(let rejection):
            switch rejection.reason {
            case .storageFull, .storageFailure, .missingIdentifiers:
                return outOfResources
            case .missingSOPInstanceUID:
                return cannotUnderstand
            case .unreadableFile:
                switch rejection.damage {
                case .cutBetweenElements(prefixHasSOPInstanceUID: true): return outOfResources
                case .cutBetweenElements(prefixHasSOPInstanceUID: false), nil: return cannotUnderstand
                case .malformed: return .closingConnection(reason: "the data set is malformed")
                }
            }
        }
    }
}
