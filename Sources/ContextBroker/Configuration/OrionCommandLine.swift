/// Orion's `contextBroker` command line: its arguments and `ORION_*` environment variables turned into a
/// ``BrokerConfiguration``, or into what Orion prints and the status it exits with.
///
/// It follows Orion's parse-args rules (doc/manuals/admin/cli.md and the behaviour of its parse-args library):
/// - Options take one dash and their value as the next argument, or glued to the name (`-port1026`); a flag glued
///   to text is not recognized.
/// - Environment variables (`ORION_PORT`, `ORION_MONGO_URI`, …) set the same options; flags take `TRUE`/`true`
///   or `FALSE`/`false`. The command line wins over the environment.
/// - Problems found while parsing (unknown option, missing or non-numeric value, value out of limits) are printed
///   on standard output, each followed by a blank line, then the usage text, and the process exits with status 0,
///   as Orion's usage printer does.
/// - `-u` prints the usage (status 0), `-U` the extended usage with values, limits and origins (status 1),
///   `--version` the version (status 0), `--help` the help (status 1).
/// - Problems found after parsing (an over-long `-db`, `-ipv4` with `-ipv6`, `-https` without `-key`, a bad
///   `-notificationMode` or `-notifFlowControl`) are fatal: a message and status 1.
package struct OrionCommandLine: Sendable {
    /// Where a value came from, in Orion's words.
    package enum Origin: String, Sendable {
        case defaultValue = "default value"
        case environment = "environment variable"
        case commandLine = "command line argument"
    }

    /// A parsed value.
    package enum Value: Sendable, Equatable {
        case flag(Bool)
        case string(String)
        case integer(Int)
    }

    /// The name Orion prints in its usage and messages (`contextBroker`).
    package let programName: String
    /// Atrium's version, printed by `--version`.
    package let version: String

    package init(programName: String = "contextBroker", version: String) {
        self.programName = programName
        self.version = version
    }

    /// The values of one parse: for each option given, its value and origin.
    package struct Values: Sendable {
        var values: [String: (value: Value, origin: Origin)] = [:]
        /// What Orion prints on standard output while parsing (`log directory: '…'` for `-logDir`).
        package var parseNotices: [String] = []

        /// The value of `name`, or its default.
        package func value(_ name: String) -> Value? {
            if let given = values[name] { return given.value }
            guard let option = OrionOption.named(name) else { return nil }
            switch option.kind {
            case .flag: return .flag(false)
            case .string(let defaultValue): return defaultValue.map(Value.string)
            case .integer(_, let defaultValue, _, _): return .integer(defaultValue)
            }
        }

        /// Whether `name` was given, on the command line or in the environment.
        package func isGiven(_ name: String) -> Bool { values[name] != nil }

        /// Where the value of `name` comes from.
        package func origin(_ name: String) -> Origin { values[name]?.origin ?? .defaultValue }

        package func flag(_ name: String) -> Bool {
            if case .flag(let on) = value(name) { return on }
            return false
        }

        package func string(_ name: String) -> String? {
            if case .string(let text) = value(name) { return text }
            return nil
        }

        package func integer(_ name: String) -> Int {
            if case .integer(let number) = value(name) { return number }
            return 0
        }
    }

    /// Parses `arguments` (without the program name) and `environment`.
    /// - Returns: the values of every option.
    /// - Throws: ``OrionCommandLineFailure`` for usage, version and help requests and for the problems Orion
    ///   reports while parsing.
    package func parseValues(_ arguments: [String], environment: [String: String]) throws(OrionCommandLineFailure)
        -> Values
    {
        var values = Values()
        var warnings: [String] = []
        var extendedUsage = false

        for option in OrionOption.all {
            guard let variable = option.environmentVariable, let raw = environment[variable] else { continue }
            switch option.kind {
            case .flag:
                if raw == "TRUE" || raw == "true" { values.values[option.name] = (.flag(true), .environment) }
                if raw == "FALSE" || raw == "false" { values.values[option.name] = (.flag(false), .environment) }
            case .string:
                values.values[option.name] = (.string(raw), .environment)
            case .integer:
                guard let number = Self.integer(raw) else {
                    warnings.append("bad string in integer conversion: '\(raw)'")
                    continue
                }
                values.values[option.name] = (.integer(number), .environment)
            }
        }

        var usedOnCommandLine: Set<String> = []
        var index = 0
        parsing: while index < arguments.count {
            let argument = arguments[index]
            index += 1
            let option: OrionOption
            let value: String?
            if let exact = OrionOption.named(argument) {
                option = exact
                if exact.isFlag {
                    value = nil
                } else if index < arguments.count, OrionOption.named(arguments[index]) == nil {
                    value = arguments[index]
                    index += 1
                } else {
                    warnings.append("\(exact.fullName) requires \(exact.requirement)")
                    break parsing
                }
            } else if let prefixed = Self.gluedOption(argument) {
                option = prefixed
                value = String(argument.dropFirst(prefixed.name.count))
            } else {
                let what = argument.hasPrefix("-") || argument.hasPrefix("+") ? "option" : "parameter"
                warnings.append("\(what) '\(argument)' not recognized")
                continue
            }

            switch option.name {
            case "-u": throw OrionCommandLineFailure(standardOutput: usage(), status: 0)
            case "--version": throw OrionCommandLineFailure(standardOutput: versionText(), status: 0)
            case "--help": throw OrionCommandLineFailure(standardOutput: help(), status: 1)
            case "-U": extendedUsage = true
            default: break
            }
            guard usedOnCommandLine.insert(option.name).inserted else {
                warnings.append("multiple use of \(option.quotedName)")
                continue
            }
            switch option.kind {
            case .flag:
                values.values[option.name] = (.flag(true), .commandLine)
            case .string:
                values.values[option.name] = (.string(value ?? ""), .commandLine)
                if option.name == "-logDir", let value { values.parseNotices.append("log directory: '\(value)'") }
            case .integer:
                guard let value, let number = Self.integer(value) else {
                    warnings.append("bad string in integer conversion: '\(value ?? "")'")
                    break parsing
                }
                values.values[option.name] = (.integer(number), .commandLine)
            }
        }

        if extendedUsage { throw OrionCommandLineFailure(standardOutput: self.extendedUsage(values), status: 1) }
        warnings += limitWarnings(values)
        if let level = values.string("-logLevel"), !Self.logLevels.contains(level) {
            warnings.append(
                "\(programName): '\(level)' is not a valid value for option '-logLevel'"
                    + " (NONE, FATAL, ERROR, WARN, INFO, DEBUG)")
        }
        if let trace = values.string("-t"), !trace.isEmpty, TraceLevels(parsing: trace) == nil {
            warnings.append(
                "\(programName): '\(trace)' is not a valid value for option '-t'"
                    + " (levels from 0 to 255: 70, 20-80, 60,80-90)")
        }
        guard warnings.isEmpty else {
            let text = warnings.map { $0 + "\n\n" }.joined()
            throw OrionCommandLineFailure(standardOutput: text + usage(), status: 0)
        }
        return values
    }

    /// The log levels `-logLevel` takes.
    package static let logLevels = ["NONE", "FATAL", "ERROR", "WARN", "INFO", "DEBUG"]

    /// The option whose name `argument` starts with, the rest being its value (`-port1026`); the longest such
    /// name wins, and flags take no glued value.
    static func gluedOption(_ argument: String) -> OrionOption? {
        OrionOption.all
            .filter { !$0.isFlag && argument.count > $0.name.count && argument.hasPrefix($0.name) }
            .max { $0.name.count < $1.name.count }
    }

    /// Reads an integer as Orion's parse-args does: decimal, `0x` or `H` hexadecimal, `0` octal, `B` binary, a
    /// leading `-`, and a `k`, `M` or `G` suffix multiplying by 1024, 1024² or 1024³.
    /// - Returns: `nil` for any other text.
    static func integer(_ text: String) -> Int? {
        var digits = Substring(text)
        var sign = 1
        if digits.first == "-" {
            sign = -1
            digits = digits.dropFirst()
        }
        var multiplier = 1
        switch digits.last {
        case "k": multiplier = 1024
        case "M": multiplier = 1024 * 1024
        case "G": multiplier = 1024 * 1024 * 1024
        default: break
        }
        if multiplier != 1 { digits = digits.dropLast() }
        var radix = 10
        if digits.hasPrefix("0x") || digits.hasPrefix("H'") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.hasPrefix("H") {
            radix = 16
            digits = digits.dropFirst()
        } else if digits.hasPrefix("0") {
            radix = 8
            digits = digits.dropFirst()
        } else if digits.hasPrefix("B") {
            radix = 2
            digits = digits.dropFirst()
        }
        if digits.isEmpty { return radix == 8 ? 0 : nil }
        guard let magnitude = Int(digits, radix: radix) else { return nil }
        let (product, overflow) = magnitude.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : sign * product
    }

    /// Orion's limit messages, one per value outside its option's limits.
    func limitWarnings(_ values: Values) -> [String] {
        var warnings: [String] = []
        for option in OrionOption.all {
            guard case .integer(_, _, let minimum, let maximum) = option.kind,
                let given = values.values[option.name], case .integer(let value) = given.value
            else { continue }
            let below = minimum.map { value < $0 } ?? false
            let above = maximum.map { value > $0 } ?? false
            guard below || above else { continue }
            let indent = String(repeating: " ", count: programName.count + 2)
            let bounds: String
            switch (minimum, maximum) {
            case (let low?, let high?): bounds = "\(low) <= \(value) <= \(high)"
            case (let low?, nil): bounds = "\(value) >= \(low)"
            case (nil, let high?): bounds = "\(value) <= \(high)"
            case (nil, nil): continue
            }
            warnings.append(
                "\(programName): value \(value) for \(option.quotedName) not within limits\n"
                    + "\(indent)\(bounds) (\(given.origin.rawValue))")
        }
        return warnings
    }
}
