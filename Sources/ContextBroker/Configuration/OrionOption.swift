/// One command-line option of Orion's `contextBroker`, as its parse-args table declares it: the flag, the
/// environment variable that can set it, the kind of value with its default and limits, and what Atrium does with
/// it (doc/manuals/admin/cli.md, "Command line options" and "Configuration using environment variables").
package struct OrionOption: Sendable {
    /// The integer widths of Orion's table; they name what a missing value "requires" and how limits print.
    package enum IntegerWidth: Sendable {
        /// `int`: "an int".
        case int
        /// `unsigned int`: "an unsigned int".
        case unsignedInt
        /// `long`: "a 64-bit integer".
        case long
        /// `unsigned long`: "a 64-bit unsigned integer".
        case unsignedLong
    }

    /// The kind of value an option takes.
    package enum Kind: Sendable {
        /// Present or absent; no value.
        case flag
        /// A string; `nil` default means none.
        case string(default: String?)
        /// An integer with Orion's inclusive limits (`nil`: no limit on that side).
        case integer(IntegerWidth, default: Int, minimum: Int?, maximum: Int?)
    }

    /// What Atrium does with the option.
    package enum Support: Sendable, Equatable {
        /// It has its Orion meaning in Atrium.
        case implemented
        /// Accepted and validated, with no effect in Atrium's server.
        case accepted
        /// A MongoDB setting: accepted, validated and ignored with one warning.
        case mongoDB
    }

    /// The flag as typed, with its single dash (`-port`); written once, here, as Orion spells it.
    package let name: String
    /// The environment variable without its `ORION_` prefix (`PORT`), if any.
    package let environment: String?
    package let kind: Kind
    package let support: Support
    /// Left out of `-u` and `-U` (Orion's `-harakiri`).
    package let hidden: Bool
    /// A parse-args builtin (`-u`, `-U`, `--version`, `-logDir`, `-t`, `-logLevel`, `-logAppend`), listed first.
    package let builtin: Bool
    /// The short description shown by `-u`, `-U` and `--help` (Atrium's words).
    package let summary: String

    package init(
        _ name: String, environment: String?, _ kind: Kind, _ support: Support, summary: String,
        hidden: Bool = false, builtin: Bool = false
    ) {
        self.name = name
        self.environment = environment
        self.kind = kind
        self.support = support
        self.summary = summary
        self.hidden = hidden
        self.builtin = builtin
    }

    /// `ORION_` and the variable's name.
    package var environmentVariable: String? { environment.map { "ORION_" + $0 } }

    /// Whether the option takes no value.
    package var isFlag: Bool {
        if case .flag = kind { return true }
        return false
    }

    /// How Orion names the option in its messages: `option '-port'`.
    package var quotedName: String { "option '\(name)'" }

    /// The option with its description as usage lines show it: `option '-port' <port to listen on>` for options
    /// with a value, `option '-fg' (run in the foreground)` for flags.
    package var fullName: String {
        isFlag ? "\(quotedName) (\(summary))" : "\(quotedName) <\(summary)>"
    }

    /// What the option requires when its value is missing or bad, in Orion's words.
    package var requirement: String {
        switch kind {
        case .flag: return "no value"
        case .string: return "a string"
        case .integer(.int, _, _, _): return "an int"
        case .integer(.unsignedInt, _, _, _): return "an unsigned int"
        case .integer(.long, _, _, _): return "a 64-bit integer"
        case .integer(.unsignedLong, _, _, _): return "a 64-bit unsigned integer"
        }
    }
}
