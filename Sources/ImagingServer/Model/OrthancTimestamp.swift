#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Orthanc's ISO timestamps: `YYYYMMDDTHHMMSS`, in UTC for the index and `/tools/now`.
package enum OrthancTimestamp {
    /// The current time, in UTC or in local time.
    package static func now(utc: Bool = true) -> String {
        var seconds = time(nil)
        var parts = tm()
        if utc {
            gmtime_r(&seconds, &parts)
        } else {
            localtime_r(&seconds, &parts)
        }
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
    }
}
