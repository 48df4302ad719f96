/// One attribute as a request carries it, before it is merged into a stored entity.
package struct AttributeUpdate: Sendable, Equatable {
    /// The attribute name.
    package var name: String
    /// The type given in the request, or `nil` when the request gave none.
    package var type: String?
    /// The new value, or an update operator to apply to the current value.
    package var value: UpdateValue
    /// The metadata given in the request, or `nil` when the request gave none.
    package var metadata: [Metadata]?

    package init(name: String, type: String? = nil, value: UpdateValue, metadata: [Metadata]? = nil) {
        self.name = name
        self.type = type
        self.value = value
        self.metadata = metadata
    }
}

/// A new attribute value, or an update operator (orion-api.md, "Update operators for attribute values").
package enum UpdateValue: Sendable, Equatable {
    case value(JSONValue)
    case increment(Double)
    case multiply(Double)
    case minimum(JSONValue)
    case maximum(JSONValue)
    case push(JSONValue)
    case addToSet(JSONValue)
    case pull(JSONValue)
    case pullAll([JSONValue])
    case setAndUnset(set: [(String, JSONValue)], unset: [String])
    /// An operator that changes nothing: `$unset` with an operand that is not an object.
    case ignored

    package static func == (lhs: UpdateValue, rhs: UpdateValue) -> Bool {
        switch (lhs, rhs) {
        case (.value(let a), .value(let b)), (.minimum(let a), .minimum(let b)), (.maximum(let a), .maximum(let b)),
            (.push(let a), .push(let b)), (.addToSet(let a), .addToSet(let b)), (.pull(let a), .pull(let b)):
            return a == b
        case (.increment(let a), .increment(let b)), (.multiply(let a), .multiply(let b)): return a == b
        case (.pullAll(let a), .pullAll(let b)): return a == b
        case (.ignored, .ignored): return true
        case (.setAndUnset(let s1, let u1), .setAndUnset(let s2, let u2)):
            return JSONValue.object(s1) == JSONValue.object(s2) && u1 == u2
        default: return false
        }
    }

    /// Recognises an operator object such as `{"$inc": 3}`; any other value is a plain value.
    package init(_ json: JSONValue) {
        guard case .object(let members) = json, let first = members.first, first.0.hasPrefix("$") else {
            self = .value(json)
            return
        }
        if members.count == 1 {
            let operand = first.1
            switch first.0 {
            case "$inc":
                if case .number(let n) = operand { self = .increment(n); return }
            case "$mul":
                if case .number(let n) = operand { self = .multiply(n); return }
            case "$min": self = .minimum(operand); return
            case "$max": self = .maximum(operand); return
            case "$push": self = .push(operand); return
            case "$addToSet": self = .addToSet(operand); return
            case "$pull": self = .pull(operand); return
            case "$pullAll":
                if case .array(let items) = operand { self = .pullAll(items); return }
            // `$set` of anything but an object is a plain update with that value; `$unset` of anything but an
            // object is ignored (Orion's update operators, #3814).
            case "$set":
                if case .object = operand {} else { self = .value(operand); return }
            case "$unset":
                if case .object = operand {} else { self = .ignored; return }
            default: break
            }
        }
        var set: [(String, JSONValue)] = []
        var unset: [String] = []
        var recognised = true
        for (key, operand) in members {
            switch (key, operand) {
            case ("$set", .object(let fields)): set.append(contentsOf: fields)
            case ("$unset", .object(let fields)): unset.append(contentsOf: fields.map(\.0))
            default: recognised = false
            }
        }
        self = recognised ? .setAndUnset(set: set, unset: unset) : .value(json)
    }

    /// The value this update leaves, given the current value (`nil` when the attribute is new).
    ///
    /// On a new attribute the numeric operators start from 0 (`$min` of 2 is 0, `$max` of 10 is 10), `$set` from
    /// `{}` and `$push`/`$addToSet` from `[]`; `$pull`, `$pullAll` and `$unset` leave nothing to remove
    /// (orion-ngsiv2-facts §1.2).
    package func apply(to current: JSONValue?) -> JSONValue {
        switch self {
        case .value(let value): return value
        case .increment(let n):
            if case .number(let c)? = current { return .number(c + n) }
            return .number(n)
        case .multiply(let n):
            if case .number(let c)? = current { return .number(c * n) }
            return .number(0)
        case .minimum(let operand):
            guard let current else {
                if case .number(let o) = operand { return .number(min(0, o)) }
                return operand
            }
            if case .number(let c) = current, case .number(let o) = operand { return .number(min(c, o)) }
            if case .string(let c) = current, case .string(let o) = operand { return .string(min(c, o)) }
            return current
        case .maximum(let operand):
            guard let current else {
                if case .number(let o) = operand { return .number(max(0, o)) }
                return operand
            }
            if case .number(let c) = current, case .number(let o) = operand { return .number(max(c, o)) }
            if case .string(let c) = current, case .string(let o) = operand { return .string(max(c, o)) }
            return current
        case .push(let operand):
            let items = UpdateValue.each(operand)
            if case .array(let existing)? = current { return .array(existing + items) }
            return .array(items)
        case .addToSet(let operand):
            var result: [JSONValue] = []
            if case .array(let existing)? = current { result = existing }
            for item in UpdateValue.each(operand) where !result.contains(item) { result.append(item) }
            return .array(result)
        case .pull(let operand):
            guard case .array(let existing)? = current else { return current ?? .array([]) }
            return .array(existing.filter { $0 != operand })
        case .pullAll(let items):
            guard case .array(let existing)? = current else { return current ?? .array([]) }
            return .array(existing.filter { !items.contains($0) })
        case .setAndUnset(let set, let unset):
            var members: [(String, JSONValue)] = []
            if case .object(let existing)? = current { members = existing }
            for (key, value) in set {
                if let index = members.firstIndex(where: { $0.0 == key }) {
                    members[index].1 = value
                } else {
                    members.append((key, value))
                }
            }
            members.removeAll { unset.contains($0.0) }
            return .object(members)
        case .ignored:
            return current ?? .null
        }
    }

    /// Whether the update is an operator rather than a plain value. An update with an operator counts as a
    /// change for subscriptions even when it leaves the value as it was, as in Orion, where the database
    /// applies the operator.
    package var isOperator: Bool {
        if case .value = self { return false }
        return true
    }

    /// Whether the update creates the attribute when the entity does not have it: `$pull`, `$pullAll` and an
    /// `$unset` without `$set` have nothing to remove and create nothing (Orion's update operators in creations,
    /// #3814).
    package var createsAttribute: Bool {
        switch self {
        case .pull, .pullAll, .ignored: return false
        case .setAndUnset(let set, _): return !set.isEmpty
        default: return true
        }
    }

    /// `$push` and `$addToSet` take one item, or several with `{"$each": [...]}`.
    private static func each(_ operand: JSONValue) -> [JSONValue] {
        if case .object(let members) = operand, members.count == 1, members[0].0 == "$each",
            case .array(let items) = members[0].1
        {
            return items
        }
        return [operand]
    }

    /// The value stored when the operator creates the attribute.
    package var valueForCreation: JSONValue {
        switch self {
        case .value(let value): return value
        case .increment(let n): return .number(n)
        case .multiply: return .number(0)
        case .minimum, .maximum, .push, .addToSet: return apply(to: nil)
        case .pull, .pullAll: return .array([])
        case .setAndUnset: return apply(to: nil)
        case .ignored: return .null
        }
    }

    /// The JSON value a request gave, for the default type of a new attribute.
    package var typeHint: JSONValue { valueForCreation }
}
