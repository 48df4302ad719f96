/// The three JSON renderings of a data set that Orthanc's REST API serves for `/instances/{id}/tags`.
public enum OrthancJSONFormat: Sendable, Hashable, CaseIterable {
    /// `/instances/{id}/tags`: keys `gggg,eeee` (lower-case hexadecimal), each an object with `Name`, `Type`
    /// (`String`, `Sequence`, `Null` or `TooLong`), `Value` and, on private data elements, `PrivateCreator`.
    case full
    /// `/instances/{id}/tags?simplify` (also `/simplified-tags`): keyword → value, sequences as arrays of
    /// objects, `null` for values that are not shown.
    case simplified
    /// `/instances/{id}/tags?short`: `gggg,eeee` → value, as in ``simplified``.
    case short
}
