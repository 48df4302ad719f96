import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Orion's `contextBroker` becomes a daemon unless `-fg` is given: the command returns at once with status 0 and
/// the broker goes on in the background, detached from the terminal, its output only in its log file. Scripts
/// (Orion's test harness, init scripts) rely on that: they start the broker, then wait for its port.
///
/// Forking a process that already runs threads is unsafe, so the broker starts a copy of itself instead, with the
/// same arguments (`ps` shows the same command line) and a marker variable; the copy starts a new session.
enum BrokerDaemon {
    /// Set in the environment of the background copy.
    static let childMarker = "ATRIUM_CONTEXT_BROKER_DAEMON"

    /// Whether this process is the background copy.
    static func isChild(_ environment: [String: String]) -> Bool {
        environment[childMarker] != nil
    }

    /// In the background copy: leaves the session of the shell that started the broker, so that its signals and
    /// its end do not reach the broker.
    static func detachFromSession() {
        _ = setsid()
    }

    /// Starts the background copy with `arguments` (`argv`, the program name first), standard input, output and
    /// error on `/dev/null`.
    /// - Returns: `nil` when it runs, or why it could not start.
    static func startCopy(arguments: [String]) -> String? {
        guard let executable = executablePath() else { return "cannot find the broker's executable" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        var environment = ProcessInfo.processInfo.environment
        environment[childMarker] = "1"
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard status == 0 else {
            return "cannot start the broker in the background: \(String(cString: strerror(status)))"
        }
        return nil
    }

    /// This process's executable file, whatever name it was started by (a `contextBroker` symlink included).
    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return buffer.withUnsafeBufferPointer { pointer in
            String(decoding: UnsafeRawBufferPointer(start: pointer.baseAddress, count: count), as: UTF8.self)
        }
    }
}
