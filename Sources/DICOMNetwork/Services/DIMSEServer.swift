package import Logging

/// The DICOM server's DIMSE side: one ``DIMSESession`` per association, answering through `provider`.
package struct DIMSEServer: AssociationHandler {
    package let provider: any DIMSEServiceProvider
    /// The largest data set accepted in one C-STORE.
    package let maximumDataSetLength: Int
    /// When a C-STORE data set is streamed to the provider's sink instead of being held in memory.
    package let streaming: MessageAssembler.Streaming
    package let logger: Logger

    /// - Parameters:
    ///   - provider: what answers the requests.
    ///   - maximumDataSetLength: the largest data set held in memory.
    ///   - streaming: when a C-STORE data set is streamed instead (beyond 16 MiB, up to 4 GiB, by default).
    ///   - logger: where the sessions log.
    package init(
        provider: any DIMSEServiceProvider, maximumDataSetLength: Int,
        streaming: MessageAssembler.Streaming = MessageAssembler.Streaming(), logger: Logger
    ) {
        self.provider = provider
        self.maximumDataSetLength = maximumDataSetLength
        self.streaming = streaming
        self.logger = logger
    }

    package func makeSession(for association: EstablishedAssociation, writer: any AssociationWriter)
        -> any AssociationSession
    {
        DIMSESession(
            association: association, writer: writer, provider: provider,
            maximumDataSetLength: maximumDataSetLength, streaming: streaming, logger: logger)
    }
}
