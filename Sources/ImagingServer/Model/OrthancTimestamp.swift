import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Orthanc's ISO timestamps: `YYYYMMDDTHHMMSS`, in UTC for the index and `/tools/now`.
package enum OrthancTimestamp {
    /// Seconds since the Unix epoch, with microseconds: the clock of the jobs engine.
    package static func epochSeconds() -> Double {
        Date().timeIntervalSince1970
    }

    /// A UTC time with microseconds, as Orthanc writes job times: `20261130T120758.039881`.
    package static func string(epochSeconds: Double) -> String {
        var seconds = time_t(epochSeconds.rounded(.down))
        let micros = Int(((epochSeconds - Double(seconds)) * 1e6).rounded())
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let fraction = String(min(max(micros, 0), 999_999))
        return format(parts) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// The current time, in UTC or in local time.
    package static func now(utc: Bool = true) -> String {
        var seconds = time(nil)
        var parts = tm()
        if utc {
            gmtime_r(&seconds, &parts)
        } else {
            localtime_r(&seconds, &parts)
        }
        return format(parts)
    }

    private static func format(_ parts: tm) -> String {
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
    }
}
