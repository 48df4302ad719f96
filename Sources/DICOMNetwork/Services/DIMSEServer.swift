package import Logging

/// The DICOM server's DIMSE side: one ``DIMSESession`` per association, answering through `provider`.
package struct DIMSEServer: AssociationHandler {
    package let provider: any DIMSEServiceProvider
    /// The largest data set accepted in one C-STORE.
    package let maximumDataSetLength: Int
    package let logger: Logger

    package init(provider: any DIMSEServiceProvider, maximumDataSetLength: Int, logger: Logger) {
        self.provider = provider
        self.maximumDataSetLength = maximumDataSetLength
        self.logger = logger
    }

    package func makeSession(for association: EstablishedAssociation, writer: any AssociationWriter)
        -> any AssociationSession
    {
        DIMSESession(
            association: association, writer: writer, provider: provider,
            maximumDataSetLength: maximumDataSetLength, logger: logger)
    }
}
