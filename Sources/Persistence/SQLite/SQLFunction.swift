import CSQLite

/// A scalar SQL function written in Swift, registered on every connection of a ``SQLiteDatabase``
/// (`sqlite3_create_function_v2`, <https://www.sqlite.org/c3ref/create_function.html>).
package struct SQLFunction: Sendable {
    /// The SQL name.
    let name: String
    /// The number of arguments.
    let argumentCount: Int
    /// Whether equal arguments always give equal results.
    let deterministic: Bool
    /// Computes the result.
    let body: @Sendable ([SQLValue]) throws -> SQLValue

    /// - Parameters:
    ///   - name: the SQL name.
    ///   - argumentCount: the number of arguments.
    ///   - deterministic: whether equal arguments always give equal results (lets SQLite use it in indexes).
    ///   - body: computes the result from the arguments; an error it throws fails the statement without
    ///     exposing the error's text.
    package init(
        _ name: String,
        argumentCount: Int,
        deterministic: Bool,
        body: @escaping @Sendable ([SQLValue]) throws -> SQLValue
    ) {
        self.name = name
        self.argumentCount = argumentCount
        self.deterministic = deterministic
        self.body = body
    }

    /// Registers the function on `connection`; SQLite releases the boxed closure when the function is replaced
    /// or the connection closes (the destructor callback).
    /// - Throws: ``SQLiteError`` when SQLite refuses the definition.
    func register(on connection: OpaquePointer) throws {
        let box = Unmanaged.passRetained(SQLFunctionBox(self)).toOpaque()
        var flags = SQLITE_UTF8
        if deterministic { flags |= SQLITE_DETERMINISTIC }
        // On failure SQLite calls the destructor itself, so the box is released either way.
        let status = sqlite3_create_function_v2(
            connection, name, Int32(argumentCount), flags, box,
            { context, count, values in SQLFunctionBox.call(context, count, values) },
            nil, nil,
            { box in box.map { Unmanaged<SQLFunctionBox>.fromOpaque($0).release() } })
        guard status == SQLITE_OK else { throw SQLiteError(connection: connection) }
    }
}

/// The function that SQLite's user-data pointer refers to while it is registered.
private final class SQLFunctionBox {
    let function: SQLFunction

    init(_ function: SQLFunction) { self.function = function }

    /// The C entry point: reads the arguments, calls the Swift body and sets the result.
    static func call(
        _ context: OpaquePointer?, _ count: Int32, _ values: UnsafeMutablePointer<OpaquePointer?>?
    ) {
        guard let context, let user = sqlite3_user_data(context) else { return }
        let function = Unmanaged<SQLFunctionBox>.fromOpaque(user).takeUnretainedValue().function
        var arguments: [SQLValue] = []
        arguments.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            arguments.append(argument(values?[index]))
        }
        let result: SQLValue
        do {
            result = try function.body(arguments)
        } catch {
            sqlite3_result_error(context, "SQL function \(function.name) failed", -1)
            return
        }
        switch result {
        case .null:
            sqlite3_result_null(context)
        case .integer(let value):
            sqlite3_result_int64(context, value)
        case .real(let value):
            sqlite3_result_double(context, value)
        case .text(var value):
            value.withUTF8 { buffer in
                guard let base = buffer.baseAddress, !buffer.isEmpty else {
                    sqlite3_result_text64(context, "", 0, SQLiteHandle.transient, UInt8(SQLITE_UTF8))
                    return
                }
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { characters in
                    sqlite3_result_text64(
                        context, characters, UInt64(buffer.count), SQLiteHandle.transient, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress, !buffer.isEmpty else {
                    sqlite3_result_zeroblob(context, 0)
                    return
                }
                sqlite3_result_blob64(context, base, UInt64(buffer.count), SQLiteHandle.transient)
            }
        }
    }

    /// One argument as an ``SQLValue`` (`sqlite3_value_*`).
    private static func argument(_ value: OpaquePointer?) -> SQLValue {
        switch sqlite3_value_type(value) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_value_int64(value))
        case SQLITE_FLOAT:
            return .real(sqlite3_value_double(value))
        case SQLITE_TEXT:
            guard let characters = sqlite3_value_text(value) else { return .text("") }
            let length = Int(sqlite3_value_bytes(value))
            return .text(String(decoding: UnsafeBufferPointer(start: characters, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            guard let bytes = sqlite3_value_blob(value) else { return .blob([]) }
            let length = Int(sqlite3_value_bytes(value))
            return .blob([UInt8](UnsafeRawBufferPointer(start: bytes, count: length)))
        default:
            return .null
        }
    }
}
