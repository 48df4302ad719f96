import DICOMNetwork
import Hummingbird
package import Logging
import NIOCore
import Persistence
import ServiceLifecycle

/// The imaging server as a service: the HTTP server on `HttpPort`, the DICOM server on `DicomPort` (when
/// `DicomServerEnabled`), the stability monitor and the jobs engine.
package struct ImagingService: Service {
    package let context: ImagingServerContext
    private let logger: Logger

    /// Opens the index and storage area of the configuration.
    ///
    /// - Throws: if the index cannot be opened or migrated.
    package init(configuration: ImagingConfiguration, logger: Logger) async throws {
        self.context = try await ImagingServerContext(configuration: configuration)
        self.logger = logger
    }

    package func run() async throws {
        let configuration = context.configuration
        let router = OrthancRouter(context: context)
        let responder = OrthancHTTPResponder(router: router, configuration: configuration)
        let application = Application(
            responder: responder,
            server: .http1(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.httpBindHost, port: configuration.httpPort),
                serverName: nil),
            logger: logger)
        logger.info(
            "imaging server listening",
            metadata: ["http.host": "\(configuration.httpBindHost)", "http.port": "\(configuration.httpPort)"])
        let dicomListener =
            configuration.dicomServerEnabled
            ? try await context.bindDICOMServer(logger: logger, jobs: router.jobs) : nil
        if let dicomListener {
            logger.info(
                "DICOM server listening",
                metadata: ["dicom.aet": "\(configuration.dicomAET)", "dicom.port": "\(dicomListener.port)"])
        }
        try await withThrowingDiscardingTaskGroup { group in
            if let dicomListener { group.addTask { try await dicomListener.run() } }
            group.addTask {
                await cancelWhenGracefulShutdown {
                    await context.stability.run(index: context.index)
                }
            }
            group.addTask {
                await cancelWhenGracefulShutdown { await router.jobs.run() }
            }
            if context.index.database.dialect == .postgres {
                // The counters' deltas are folded once a minute, so that `/statistics` stays one cheap read.
                group.addTask {
                    await cancelWhenGracefulShutdown {
                        while (try? await Task.sleep(for: .seconds(60))) != nil {
                            try? await context.index.compactCounters()
                        }
                    }
                }
            }
            group.addTask { try await application.runService() }
        }
        // The database closes after everything that uses it has stopped.
        await context.index.database.close()
    }
}
