/// Orion's `-notifFlowControl gauge:stepDelay:maxInterval`: updates sent with `?options=flowControl` wait until
/// the notification queue has drained to a share of its size (perf_tuning.md, "Updates flow control mechanism").
package struct NotificationFlowControl: Sendable, Equatable {
    /// Between 0 and 1: how much of what the update queued must have left the queue.
    package var gauge: Double
    /// Milliseconds between two looks at the queue; more than 0.
    package var stepDelay: Int
    /// The longest wait, in milliseconds; more than 0.
    package var maxInterval: Int

    /// Parses `-notifFlowControl`'s value.
    /// - Returns: the settings, or Orion's fatal message for a value it refuses.
    package static func parse(_ text: String) -> Result<NotificationFlowControl, OrionCommandLineFailure> {
        let prefix = "Fatal Error parsing notification flow control: "
        let tokens = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard tokens.count == 3 else {
            return .failure(.fatal(prefix + "more tokens than expected (\(tokens.count))"))
        }
        guard let gauge = Double(tokens[0]), gauge.isFinite else {
            return .failure(.fatal(prefix + "error parsing gauge '\(tokens[0])': not a number"))
        }
        guard (0...1).contains(gauge) else {
            return .failure(.fatal(prefix + "gauge must be between 0 and 1 and is \(Self.decimal(gauge))"))
        }
        guard let stepDelay = UInt(tokens[1]) else {
            return .failure(.fatal(prefix + "error parsing stepDelay '\(tokens[1])': not an unsigned number"))
        }
        guard stepDelay > 0 else { return .failure(.fatal(prefix + "stepDelay must be strictly greater than 0")) }
        guard let maxInterval = UInt(tokens[2]) else {
            return .failure(.fatal(prefix + "error parsing maxInterval '\(tokens[2])': not an unsigned number"))
        }
        guard maxInterval > 0 else { return .failure(.fatal(prefix + "maxInterval must be strictly greater than 0")) }
        return .success(NotificationFlowControl(gauge: gauge, stepDelay: Int(stepDelay), maxInterval: Int(maxInterval)))
    }

    /// `%f`: six decimals.
    static func decimal(_ value: Double) -> String {
        let scaled = (abs(value) * 1_000_000).rounded()
        let whole = Int(scaled / 1_000_000)
        let fraction = String(Int(scaled.truncatingRemainder(dividingBy: 1_000_000)))
        return (value < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
