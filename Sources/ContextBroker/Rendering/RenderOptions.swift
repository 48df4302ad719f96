/// How entities are rendered: the representation (`options`) and the `attrs` / `metadata` projections.
package struct RenderOptions: Sendable {
    /// The representation (orion-api.md, "Simplified Entity Representation").
    package enum Format: Sendable {
        case normalized
        case keyValues
        case values
        case unique
    }

    package var format: Format = .normalized
    /// `attrs`: the attributes to render, in order; `*` stands for every user attribute. `nil` renders every user
    /// attribute and no builtin.
    package var attributes: [String]?
    /// `metadata`: the metadata to render; `*` stands for every user metadata. `nil` renders every user metadata.
    package var metadata: [String]?

    package init(format: Format = .normalized, attributes: [String]? = nil, metadata: [String]? = nil) {
        self.format = format
        self.attributes = attributes
        self.metadata = metadata
    }
}
