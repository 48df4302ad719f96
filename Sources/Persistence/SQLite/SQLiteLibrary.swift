import CSQLite

/// The SQLite library Atrium runs on.
package enum SQLiteLibrary {
    /// Its version, as SQLite reports it (`3.40.1`).
    package static var version: String { String(cString: sqlite3_libversion()) }
}
