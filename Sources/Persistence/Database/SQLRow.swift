/// One row of a query result, read column by column; valid only inside the closure that receives it.
///
/// Column indexes start at 0 and must be in range: reading past the last column is a programming error.
package protocol SQLRow {
    /// The number of columns.
    var count: Int { get }

    /// The value of the column at `index`, as the database returned it.
    func value(at index: Int) -> SQLValue

    /// The text of the column at `index`, or `nil` when it is NULL or not text.
    func text(at index: Int) -> String?

    /// The column at `index` as a double (integers are converted), or `nil` when it is NULL or not a number.
    func double(at index: Int) -> Double?

    /// The column at `index` as an integer, or `nil` when it is NULL or not an integer.
    func integer(at index: Int) -> Int64?
}
