import NIOCore
import PostgresNIO

/// One row of a PostgreSQL result, read through ``SQLRow`` with the same storage classes as SQLite: integers
/// (`int2`, `int4`, `int8`, `bool` as 0 or 1), reals (`float4`, `float8`, `numeric`), text (`text`, `varchar`,
/// `name`, `bpchar`, `json`, `jsonb`) and blobs (`bytea`). A column of any other type reads as NULL: the faces'
/// schemas use only these.
struct PostgresRowValues: SQLRow {
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) { cells = row.makeRandomAccess() }

    var count: Int { cells.count }

    func value(at index: Int) -> SQLValue {
        precondition(index >= 0 && index < count, "column index \(index) out of range")
        let cell = cells[index]
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return (try? cell.decode(Int64.self)).map { .integer($0) } ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
        case .float4, .float8, .numeric:
            return (try? cell.decode(Double.self)).map { .real($0) } ?? .null
        case .text, .varchar, .name, .bpchar, .json, .jsonb:
            return (try? cell.decode(String.self)).map { .text($0) } ?? .null
        case .bytea:
            return (try? cell.decode(ByteBuffer.self)).map { .blob(Array($0.readableBytesView)) } ?? .null
        default:
            return .null
        }
    }

    func text(at index: Int) -> String? { value(at: index).text }

    func double(at index: Int) -> Double? { value(at: index).double }

    func integer(at index: Int) -> Int64? { value(at: index).integer }
}
