import Persistence

/// The broker's SQL on one tenant's `subscriptions` table. Every method runs inside the caller's read or write
/// transaction.
///
/// A row holds the subscription's document as ``SubscriptionRenderer`` renders it for storage (the MQTT password
/// in clear, the stored status, the counters), which ``SubscriptionPayload`` reads back: one format for the API
/// and the disk, so a field added to one is added to the other.
enum SubscriptionStore {
    /// Inserts a new subscription.
    static func insert(_ connection: any Connection, _ subscription: Subscription) async throws {
        try await connection.execute(
            "INSERT INTO subscriptions (id, service_path, document) VALUES (?, ?, ?)",
            [.text(subscription.id), .text(subscription.servicePath), .text(document(subscription))])
    }

    /// Writes back a changed subscription.
    /// - Returns: whether it was there.
    @discardableResult
    static func update(_ connection: any Connection, _ subscription: Subscription) async throws -> Bool {
        try await connection.execute(
            "UPDATE subscriptions SET document = ? WHERE id = ?",
            [.text(document(subscription)), .text(subscription.id)]) > 0
    }

    /// Deletes a subscription.
    /// - Returns: whether it was there.
    static func delete(_ connection: any Connection, id: String) async throws -> Bool {
        try await connection.execute("DELETE FROM subscriptions WHERE id = ?", [.text(id)]) > 0
    }

    /// The subscription with `id`, if stored.
    static func find(_ connection: any Connection, id: String, tenant: String) async throws -> Subscription? {
        var found: Subscription?
        try await connection.forEachRow(
            "SELECT id, service_path, document FROM subscriptions WHERE id = ?", [.text(id)]
        ) { row in found = try decode(row, tenant: tenant) }
        return found
    }

    /// Every stored subscription of the tenant, in creation order.
    static func all(_ connection: any Connection, tenant: String) async throws -> [Subscription] {
        var result: [Subscription] = []
        try await connection.forEachRow("SELECT id, service_path, document FROM subscriptions ORDER BY pk") { row in
            result.append(try decode(row, tenant: tenant))
        }
        return result
    }

    static func document(_ subscription: Subscription) -> String {
        SubscriptionRenderer.render(subscription, now: 0, forStorage: true).serialized
    }

    /// A stored row back as a subscription.
    /// - Throws: ``PersistenceError`` when the document no longer reads (a damaged file).
    static func decode(_ row: any SQLRow, tenant: String) throws -> Subscription {
        guard let id = row.text(at: 0), let servicePath = row.text(at: 1), let text = row.text(at: 2),
            let json = try? JSONParser.parse(text),
            let payload = try? SubscriptionPayload(json, update: false),
            var subscription = payload.subscription(id: id, tenant: tenant, servicePath: servicePath)
        else {
            throw PersistenceError(.corruptedRecord, "subscription document does not read")
        }
        subscription.counters = SubscriptionCounters(stored: json["notification"] ?? .null)
        return subscription
    }
}

extension SubscriptionCounters {
    /// The counters of a stored `notification` document.
    init(stored notification: JSONValue) {
        self.init()
        func number(_ name: String) -> Double? {
            if case .number(let value)? = notification[name], value.isFinite { return value }
            return nil
        }
        func date(_ name: String) -> Double? { notification[name]?.stringValue.flatMap(DateTimeFormat.parse) }
        timesSent = number("timesSent").map { Int(clamping: Int64(exactly: $0.rounded()) ?? 0) } ?? 0
        lastNotification = date("lastNotification")
        lastSuccess = date("lastSuccess")
        lastSuccessCode = number("lastSuccessCode").map { Int(clamping: Int64(exactly: $0.rounded()) ?? 0) }
        lastFailure = date("lastFailure")
        lastFailureReason = notification["lastFailureReason"]?.stringValue
        failsCounter = number("failsCounter").map { Int(clamping: Int64(exactly: $0.rounded()) ?? 0) } ?? 0
    }
}
