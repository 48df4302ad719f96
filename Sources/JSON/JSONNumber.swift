/// A JSON number as its literal text (RFC 8259 §6).
///
/// The text is kept as written so that a reader can choose its own conversion: DICOM JSON keeps a DS or IS value's
/// text exactly (PS3.18 §F.2.3), NGSI reads a double, Orthanc an integer when the text has no fraction.
package struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, such as `1.50`, `1e3` or `-0`.
    package let literal: String

    /// A number from its literal text, taken as valid JSON (the parser checks it).
    package init(literal: String) {
        self.literal = literal
    }

    /// An integer, written in decimal.
    package init(_ value: some BinaryInteger) {
        literal = String(value)
    }

    /// A double in the form Orion and Orthanc write: integral values below 10^15 without a fraction (`23`, `-4`),
    /// others in the shortest form that reads back to the same double (`23.5`, `1e+15`); NaN and infinities,
    /// which JSON cannot express, as `null`.
    package init(_ value: Double) {
        literal = Self.format(value)
    }

    /// The text ``init(_:)-(Double)`` writes for `value`.
    package static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(.towardZero), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// The literal read as a double (the nearest one; out-of-range literals give an infinity).
    package var doubleValue: Double? { Double(literal) }

    /// The literal read as an integer, when it is one (digits with an optional leading `-`) and fits.
    package var int64Value: Int64? { Int64(literal) }

    /// Whether the literal has neither fraction nor exponent.
    package var isInteger: Bool {
        literal.utf8.allSatisfy { $0 == UInt8(ascii: "-") || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    package var description: String { literal }
}

extension JSONNumber: ExpressibleByStringLiteral {
    /// A number from a literal such as `"1.50"`, for tests and fixed values.
    package init(stringLiteral literal: String) {
        self.init(literal: literal)
    }
}
