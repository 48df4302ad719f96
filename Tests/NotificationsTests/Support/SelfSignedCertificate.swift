import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A self-signed certificate for `localhost` and 127.0.0.1, made by the `openssl` command line in a temporary
/// folder, and the TLS server context that presents it.
enum SelfSignedCertificate {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `openssl req -x509` and loads the result into a server context; `serverName` is told the SNI name of
    /// each handshake (`nil` when the client sent none).
    ///
    /// The command runs on NIO's blocking thread pool, so that waiting for it holds no thread of Swift's
    /// cooperative pool.
    static func makeServerContext(serverName: (@Sendable (String?) -> Void)? = nil) async throws -> NIOSSLContext {
        try await NIOThreadPool.singleton.runIfActive { try makeServerContextBlocking(serverName: serverName) }
    }

    private static func makeServerContextBlocking(serverName: (@Sendable (String?) -> Void)?) throws -> NIOSSLContext {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "notifications-tls-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = folder.appendingPathComponent("key.pem").path
        let certificate = folder.appendingPathComponent("certificate.pem").path

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            key, "-out", certificate,
            "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl exited with \(process.terminationStatus)")
        }

        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        if let serverName {
            configuration.sslContextCallback = { values, promise in
                serverName(values.serverHostname)
                promise.succeed(NIOSSLContextConfigurationOverride())
            }
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
