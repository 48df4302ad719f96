import Persistence

extension StoredEntity {
    /// Appends the entity of a row (``columns``) as `options` render it: its stored attributes copied as they are
    /// when ``StoredEntityTranscoder`` can, otherwise decoded and rendered by ``EntityRenderer``.
    /// - Parameter identity: include `id` and `type` (not for `/v2/entities/{id}/attrs`).
    static func appendRendering(
        of row: any SQLRow, _ options: RenderOptions, identity: Bool = true, to output: inout [UInt8]
    ) throws(PersistenceError) {
        if StoredEntityTranscoder.handles(options), let id = row.text(at: 1), let type = row.text(at: 2),
            let attributes = row.text(at: 7),
            StoredEntityTranscoder.append(
                id: identity ? id : nil, type: type, attributes: attributes, format: options.format, to: &output)
        {
            return
        }
        var text = ""
        EntityRenderer.render(try StoredEntity(row: row).entity, options, identity: identity).write(to: &text)
        output.append(contentsOf: text.utf8)
    }
}
