import ContextBroker
import Testing

@Suite struct EntityMergeTests {
    private func entity(attributes count: Int) -> Entity {
        var entity = Entity(
            id: "E", type: "T", servicePath: "/", created: 1, modified: 1, attributes: [])
        for index in 0..<count {
            entity.merge(
                AttributeUpdate(name: "a\(index)", type: "Number", value: .value(.number(Double(index)))), at: 1,
                options: .init())
        }
        return entity
    }

    /// Updates that hit existing attributes, repeat a name, add new ones and use an operator.
    private func updates(touching count: Int) -> [AttributeUpdate] {
        var updates: [AttributeUpdate] = []
        for index in stride(from: 0, to: count, by: 3) {
            updates.append(AttributeUpdate(name: "a\(index)", value: .increment(10)))
        }
        updates.append(AttributeUpdate(name: "new1", type: "Text", value: .value(.string("x"))))
        updates.append(AttributeUpdate(name: "a1", type: "Text", value: .value(.string("retyped"))))
        updates.append(AttributeUpdate(name: "new1", value: .value(.string("y"))))
        updates.append(
            AttributeUpdate(
                name: "a2", value: .value(.number(5)),
                metadata: [Metadata(name: "m", type: "Text", value: .string("v"))]))
        return updates
    }

    @Test(arguments: [0, 3, 40, 500])
    func mergingManyUpdatesAtOnceEqualsMergingThemOneByOne(attributes count: Int) {
        var oneByOne = entity(attributes: count)
        var atOnce = oneByOne
        let updates = updates(touching: count)
        for update in updates { oneByOne.merge(update, at: 2, options: .init()) }
        atOnce.merge(updates, at: 2, options: .init())
        #expect(atOnce == oneByOne)
        #expect(atOnce.attributeNames == Set(oneByOne.attributes.map(\.name)))
    }
}
