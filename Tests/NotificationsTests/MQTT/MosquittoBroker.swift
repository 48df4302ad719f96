import Foundation
import NIOCore
import NIOPosix
import Testing

/// A mosquitto broker of the test's own, on 127.0.0.1 and a port of the test's range (18200–18299), configured
/// in a temporary folder: anonymous, or with one user whose password file `mosquitto_passwd` made.
///
/// Every wait is bounded: start waits at most 10 s for the port to accept connections, stop at most 5 s for the
/// killed process to exit. A missing mosquitto fails the test.
final class MosquittoBroker {
    static let executable = "/usr/sbin/mosquitto"
    static let passwordTool = "/usr/bin/mosquitto_passwd"

    let port: Int
    let folder: URL
    private var process: Process?

    /// - Parameters:
    ///   - port: the listener's port.
    ///   - credentials: the one user and password accepted; anonymous clients are then refused.
    init(port: Int, credentials: (user: String, password: String)? = nil) throws {
        self.port = port
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("atrium-mosquitto-\(port)-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = """
            listener \(port) 127.0.0.1
            persistence false
            user root

            """
        if let credentials {
            let passwordFile = folder.appendingPathComponent("passwd").path
            try Self.run(Self.passwordTool, ["-b", "-c", passwordFile, credentials.user, credentials.password])
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile)
            configuration += "allow_anonymous false\npassword_file \(passwordFile)\n"
        } else {
            configuration += "allow_anonymous true\n"
        }
        try configuration.write(to: folder.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Starts the broker and waits until its port accepts connections.
    func start() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "mosquitto is not installed")
        try #require(!(await Self.accepts(port: port)), "port \(port) is already taken")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["-c", folder.appendingPathComponent("mosquitto.conf").path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            try #require(process.isRunning, "mosquitto exited at start")
            if await Self.accepts(port: port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("mosquitto did not listen on port \(port) within 10 s")
        throw CancellationError()
    }

    /// Kills the broker (SIGKILL: a child of the test process may inherit a mask that blocks SIGTERM) and waits
    /// at most 5 s for it to exit.
    func stop() async {
        guard let process else { return }
        self.process = nil
        kill(process.processIdentifier, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        // The listening socket is gone once connections are refused.
        let closed = ContinuousClock.now + .seconds(5)
        while await Self.accepts(port: port), ContinuousClock.now < closed {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Whether a TCP connection to 127.0.0.1:`port` succeeds now.
    static func accepts(port: Int) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(1))
                .connect(host: "127.0.0.1", port: port).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }

    /// Runs a tool to its end, at most 10 s, its output discarded.
    static func run(_ executable: String, _ arguments: [String]) throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable), "\(executable) is not installed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("\(executable) did not finish within 10 s")
            return
        }
        try #require(process.terminationStatus == 0, "\(executable) failed")
    }
}
