// TEMPORARY, never committed.
public struct SpecificCharacterSet: Sendable, Hashable {
    public init(_ values: [String]) {}
    public static let `default` = SpecificCharacterSet([])
    public func decode(_ bytes: some Collection<UInt8>, vr: VR) -> String { String(decoding: Array(bytes), as: UTF8.self) }
    public func encode(_ string: String, vr: VR) -> [UInt8] { Array(string.utf8) }
}
