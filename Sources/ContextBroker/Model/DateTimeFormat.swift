import Foundation

/// Orion's DateTime: ISO 8601 in, `YYYY-MM-DDThh:mm:ss.sssZ` out (orion-api.md, "Special Attribute Types").
///
/// Accepted forms are `<date>`, `<date>T<time>` and `<date>T<time><zone>`: the time is `hh`, `hh:mm`,
/// `hh:mm:ss` or the basic `hhmm`, `hhmmss`, and seconds may carry a fraction; the zone is `Z` or `±hh:mm`,
/// `±hhmm`, `±hh`; no zone means UTC.
package enum DateTimeFormat {
    /// Parses an ISO 8601 date or date-time into seconds since 1970, or `nil` when it is not one.
    package static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        func consume(_ character: UInt8) -> Bool {
            if index < bytes.count, bytes[index] == character {
                index += 1
                return true
            }
            return false
        }
        func nextIsDigit() -> Bool { index < bytes.count && bytes[index] >= 48 && bytes[index] <= 57 }
        guard let year = digits(4), consume(45), let month = digits(2), consume(45), let day = digits(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0.0
        var offsetSeconds = 0
        if index < bytes.count {
            guard consume(84) else { return nil }
            // The time is `hh`, `hh:mm` or `hh:mm:ss`, or the basic `hhmm` or `hhmmss`, as Orion reads it.
            guard let h = digits(2), h < 24 else { return nil }
            hour = h
            let extended = consume(58)
            let hasMinutes = extended || nextIsDigit()
            if hasMinutes {
                guard let m = digits(2), m < 60 else { return nil }
                minute = m
            }
            if hasMinutes, extended ? consume(58) : nextIsDigit() {
                guard let s = digits(2), s < 60 else { return nil }
                second = Double(s)
                if consume(46) {
                    let start = index
                    while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
                    guard index > start,
                        let fraction = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self))
                    else { return nil }
                    second += fraction
                }
            }
            if index < bytes.count {
                if consume(90) {
                    // UTC
                } else if bytes[index] == 43 || bytes[index] == 45 {
                    let sign = bytes[index] == 43 ? 1 : -1
                    index += 1
                    guard let zh = digits(2), zh < 24 else { return nil }
                    var zm = 0
                    if consume(58) {
                        guard let value = digits(2) else { return nil }
                        zm = value
                    } else if index < bytes.count {
                        guard let value = digits(2) else { return nil }
                        zm = value
                    }
                    offsetSeconds = sign * (zh * 3600 + zm * 60)
                } else {
                    return nil
                }
            }
            guard index == bytes.count else { return nil }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        guard day <= daysInMonth(year: year, month: month) else { return nil }
        return Double(days * 86_400 + hour * 3600 + minute * 60 - offsetSeconds) + second
    }

    /// Renders seconds since 1970 as `YYYY-MM-DDThh:mm:ss.sssZ`.
    package static func render(_ seconds: Double) -> String {
        let milliseconds = Int64((seconds * 1000).rounded(.down))
        var days = milliseconds / 86_400_000
        var rest = milliseconds % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let (year, month, day) = civilFromDays(Int(days))
        let hour = rest / 3_600_000
        let minute = rest / 60_000 % 60
        let second = rest / 1000 % 60
        let millis = rest % 1000
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(Int64(year), 4))-\(pad(Int64(month), 2))-\(pad(Int64(day), 2))T\(pad(hour, 2)):\(pad(minute, 2)):"
            + "\(pad(second, 2)).\(pad(millis, 3))Z"
    }

    /// The current time in seconds since 1970.
    package static func now() -> Double {
        (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's civil-days algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
