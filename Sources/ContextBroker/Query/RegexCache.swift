import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX extended regular expressions (`regcomp` with `REG_EXTENDED`), as Orion uses for `idPattern`,
/// `typePattern` and `~=` (doc/manuals/user/regex.md), compiled once per pattern.
final class RegexCache: Sendable {
    static let shared = RegexCache()

    private final class Compiled: @unchecked Sendable {
        // regex_t is only read by regexec after compilation; regexec is thread-safe on a compiled pattern.
        var regex = regex_t()
        let valid: Bool
        init(_ pattern: String) {
            valid = regcomp(&regex, pattern, REG_EXTENDED | REG_NOSUB) == 0
        }
        deinit { if valid { regfree(&regex) } }
    }

    private let cache = Mutex<[String: Compiled]>([:])

    /// Whether `pattern` is a valid POSIX extended regular expression.
    func isValid(_ pattern: String) -> Bool { compiled(pattern).valid }

    /// Whether `text` contains a match of `pattern`; an invalid pattern matches nothing.
    func matches(pattern: String, _ text: String) -> Bool {
        let compiled = compiled(pattern)
        guard compiled.valid else { return false }
        return regexec(&compiled.regex, text, 0, nil, 0) == 0
    }

    private func compiled(_ pattern: String) -> Compiled {
        cache.withLock { cache in
            if let compiled = cache[pattern] { return compiled }
            if cache.count > 1000 { cache.removeAll() }
            let compiled = Compiled(pattern)
            cache[pattern] = compiled
            return compiled
        }
    }
}
