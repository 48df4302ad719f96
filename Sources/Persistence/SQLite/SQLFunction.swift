import Foundation
import GRDB

/// A scalar SQL function written in Swift, registered on every connection of a ``SQLiteDatabase``.
package struct SQLFunction: Sendable {
    let databaseFunction: DatabaseFunction

    /// - Parameters:
    ///   - name: the SQL name.
    ///   - argumentCount: the number of arguments.
    ///   - deterministic: whether equal arguments always give equal results (lets SQLite use it in indexes).
    ///   - body: computes the result from the arguments.
    package init(
        _ name: String,
        argumentCount: Int,
        deterministic: Bool,
        body: @escaping @Sendable ([SQLValue]) throws -> SQLValue
    ) {
        databaseFunction = DatabaseFunction(name, argumentCount: argumentCount, pure: deterministic) { values in
            let arguments = values.map { value -> SQLValue in
                switch value.storage {
                case .null: return .null
                case .int64(let integer): return .integer(integer)
                case .double(let double): return .real(double)
                case .string(let string): return .text(string)
                case .blob(let data): return .blob([UInt8](data))
                }
            }
            return try body(arguments).databaseValue
        }
    }
}
