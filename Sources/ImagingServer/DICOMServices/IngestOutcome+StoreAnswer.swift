import DICOMNetwork

extension IngestOutcome {
    /// The C-STORE response an ingest outcome gives, whichever way the instance came (C-STORE, C-GET): success once
    /// durable (also when already stored), out of resources when it cannot be written, cannot understand when it
    /// cannot be read.
    var storeAnswer: StoreAnswer {
        switch self {
        case .stored, .alreadyStored:
            return StoreAnswer(status: DIMSEStatus.success)
        case .rejected(let rejection):
            switch rejection.reason {
            case .storageFull, .storageFailure:
                return StoreAnswer(status: DIMSEStatus.outOfResources, errorComment: "the instance cannot be stored")
            case .unreadableFile, .missingIdentifiers:
                return StoreAnswer(status: DIMSEStatus.cannotUnderstand, errorComment: "the data set cannot be read")
            }
        }
    }
}
