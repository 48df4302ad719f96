extension Connection {
    /// The first column of the first row, as an integer, or `nil` when there is no row or it is not an integer.
    /// - Throws: ``PersistenceError`` when the database refuses the query.
    package func integer(_ sql: String, _ arguments: [SQLValue] = []) async throws -> Int64? {
        try await firstRow(sql, arguments)?.first?.integer
    }

    /// The first column of the first row, as text, or `nil` when there is no row or it is not text.
    /// - Throws: ``PersistenceError`` when the database refuses the query.
    package func text(_ sql: String, _ arguments: [SQLValue] = []) async throws -> String? {
        try await firstRow(sql, arguments)?.first?.text
    }

    /// The first column of every row, as integers (rows where it is not an integer are skipped).
    /// - Throws: ``PersistenceError`` when the database refuses the query.
    package func integers(_ sql: String, _ arguments: [SQLValue] = []) async throws -> [Int64] {
        var values: [Int64] = []
        try await forEachRow(sql, arguments) { row in
            if let value = row.integer(at: 0) { values.append(value) }
        }
        return values
    }

    /// The first column of every row, as text (rows where it is not text are skipped).
    /// - Throws: ``PersistenceError`` when the database refuses the query.
    package func texts(_ sql: String, _ arguments: [SQLValue] = []) async throws -> [String] {
        var values: [String] = []
        try await forEachRow(sql, arguments) { row in
            if let value = row.text(at: 0) { values.append(value) }
        }
        return values
    }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(stringLiteral value: String) { self = .text(value) }
    package init(nilLiteral: ()) { self = .null }

    /// An integer value.
    package init(_ value: Int) { self = .integer(Int64(value)) }
    /// An integer value.
    package init(_ value: Int64) { self = .integer(value) }
    /// A text value, or NULL.
    package init(_ value: String?) { self = value.map { .text($0) } ?? .null }
}
