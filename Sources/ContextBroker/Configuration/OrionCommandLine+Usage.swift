extension OrionCommandLine {
    /// `-u`: one line per option in Orion's layout, `Usage: contextBroker  [option '-U' (extended usage)]`, then
    /// the options aligned under the first, the builtins apart from the broker's own by a blank line.
    package func usage() -> String {
        let pad = String(repeating: " ", count: programName.count + 8)
        var text = "Usage: \(programName) "
        var first = true
        var inBuiltins = true
        for option in OrionOption.all where !option.hidden {
            if !first { text += pad }
            first = false
            if inBuiltins && !option.builtin {
                inBuiltins = false
                text += "\n" + pad
            }
            text += " [\(option.fullName)]\n"
        }
        return text + "\n"
    }

    /// `-U`: each option with its environment variable, its value and default (`1026 /1026/`), its limits and
    /// where the value came from, in aligned columns.
    package func extendedUsage(_ values: Values) -> String {
        let rows = OrionOption.all.filter { !$0.hidden }.map { option -> (String, String, String, String) in
            (
                "[\(option.fullName)]", option.environmentVariable ?? " ", Self.describeValue(option, values),
                "  (\(values.origin(option.name).rawValue))"
            )
        }
        let head = "Extended Usage: \(programName) "
        let widths = (
            programName.count + 1, (rows.map(\.0.count).max() ?? 0) + 2, (rows.map(\.1.count).max() ?? 0) + 2,
            (rows.map(\.2.count).max() ?? 0) + 2
        )
        var text = ""
        for (index, row) in rows.enumerated() {
            let lead = index == 0 ? head : String(repeating: " ", count: head.count)
            text +=
                Self.padded(lead, widths.0) + " " + Self.padded(row.0, widths.1) + " " + Self.padded(row.1, widths.2)
                + " " + Self.padded(row.2, widths.3) + " " + row.3 + "\n"
        }
        return text + "\r\n"
    }

    /// `--version`: Atrium's version where Orion prints its own, then what the program is, then its author.
    package func versionText() -> String {
        "\(version) (git version: nogitversion)\n"
            + "Atrium context broker: an Orion-compatible NGSIv2 broker, answering Orion 4.7's API.\n\n"
            + "Atrium\n"
    }

    /// `--help`: the synopsis, each option with its description, what the program is, and its exit status.
    package func help() -> String {
        var text = "Usage: \(programName) [options]\nOptions:\n"
        for option in OrionOption.all where !option.hidden {
            text += "  " + Self.padded(option.name, 20) + " " + option.summary + "\n"
        }
        text += "\nAtrium context broker \(version): an Orion-compatible NGSIv2 broker, answering Orion 4.7's API.\n"
        text += "Exit status:\n 0 after a clean stop (signal or /exit/harakiri), 1 when it cannot start\n"
        return text
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// The value column of `-U`: the value, its default between slashes, and its limits.
    static func describeValue(_ option: OrionOption, _ values: Values) -> String {
        switch option.kind {
        case .flag:
            return "\(values.flag(option.name) ? "TRUE" : "FALSE") /FALSE/"
        case .string(let defaultValue):
            return "'\(values.string(option.name) ?? "")' /'\(defaultValue ?? "")'/"
        case .integer(_, let defaultValue, let minimum, let maximum):
            let value = "\(values.integer(option.name)) /\(defaultValue)/"
            switch (minimum, maximum) {
            case (let low?, let high?): return "\(low) <= \(value) <= \(high)"
            case (let low?, nil): return "\(value) >= \(low)"
            case (nil, let high?): return "\(value) <= \(high)"
            case (nil, nil): return value
            }
        }
    }
}
