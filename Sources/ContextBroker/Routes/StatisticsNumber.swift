import Foundation

/// The number format of the `semWait` and `timing` blocks of `/statistics`.
///
/// Orion keeps these times as single-precision seconds and writes them in fixed notation with at most nine
/// decimals (statistics.md shows `2.917002794`); a zero is written `0`. Atrium rounds to single precision too,
/// writes nine decimals and drops the trailing zeros, so equal values read back equal; the last digits may differ
/// from Orion's own rendering of the same float.
enum StatisticsNumber {
    /// The seconds of `duration` as `/statistics` writes them.
    static func text(_ duration: Duration) -> String {
        let components = duration.components
        let seconds = Double(components.seconds) + Double(components.attoseconds) * 1e-18
        return text(seconds: seconds)
    }

    /// `seconds` as `/statistics` writes them.
    static func text(seconds: Double) -> String {
        let rounded = Double(Float(seconds))
        var text = String(format: "%.9f", rounded)
        while text.last == "0" { text.removeLast() }
        if text.last == "." { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
