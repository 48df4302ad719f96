/// A value bound to, or read from, an SQL statement: the storage classes of SQLite
/// (<https://www.sqlite.org/datatype3.html>, §2 "Storage Classes and Datatypes").
///
/// Faces build their statements with these values so that they never touch a driver type.
package enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

extension SQLValue {
    /// The value as a string, when it is text.
    package var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The value as a double, when it is an integer or a real.
    package var double: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    /// The value as an integer, when it is an integer.
    package var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
}
