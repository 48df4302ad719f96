import NIOCore
import Notifications
import Persistence

/// The broker's SQL on one tenant's change journal and notification outbox (`-notifOutbox`). Every method runs
/// inside the caller's transaction.
///
/// A write journals its change events in its own transaction, so a committed change is never without them. The
/// notifier turns journaled events into outbox notifications and removes the events in one transaction, and
/// removes a notification once it is delivered: a restart, even after SIGKILL, finds every change not yet
/// turned into notifications and every notification not yet delivered.
enum NotificationOutboxStore {
    /// Journals events; returns their keys, in order.
    static func journal(_ connection: any Connection, _ events: [ChangeEvent]) async throws -> [Int64] {
        var keys: [Int64] = []
        for event in events {
            guard
                let key = try await connection.integer(
                    "INSERT INTO change_journal (event) VALUES (?) RETURNING seq",
                    [.text(ChangeEventCodec.encode(event))])
            else { throw PersistenceError(.corruptedRecord, "the journaled change event has no key") }
            keys.append(key)
        }
        return keys
    }

    /// Every journaled event, in commit order.
    static func journaled(_ connection: any Connection) async throws -> [(key: Int64, event: ChangeEvent)] {
        var result: [(key: Int64, event: ChangeEvent)] = []
        try await connection.forEachRow("SELECT seq, event FROM change_journal ORDER BY seq") { row in
            guard let key = row.integer(at: 0), let text = row.text(at: 1) else {
                throw PersistenceError(.corruptedRecord, "a journaled change event does not read")
            }
            result.append((key, try ChangeEventCodec.decode(text)))
        }
        return result
    }

    static func removeJournaled(_ connection: any Connection, _ keys: [Int64]) async throws {
        for key in keys { try await connection.execute("DELETE FROM change_journal WHERE seq = ?", [.integer(key)]) }
    }

    /// Adds a notification to the outbox; returns its key.
    static func insert(_ connection: any Connection, subscriptionID: String, _ notification: OutboundNotification)
        async
        throws -> Int64
    {
        guard
            let key = try await connection.integer(
                "INSERT INTO notification_outbox (subscription_id, notification, body) VALUES (?, ?, ?) RETURNING seq",
                [
                    .text(subscriptionID), .text(OutboundNotificationCodec.encode(notification)),
                    .blob(Array(notification.body.readableBytesView)),
                ])
        else { throw PersistenceError(.corruptedRecord, "the outbox notification has no key") }
        return key
    }

    static func remove(_ connection: any Connection, _ keys: [Int64]) async throws {
        for key in keys {
            try await connection.execute("DELETE FROM notification_outbox WHERE seq = ?", [.integer(key)])
        }
    }

    /// Every notification in the outbox, oldest first.
    static func pending(_ connection: any Connection) async throws
        -> [(key: Int64, subscriptionID: String, notification: OutboundNotification)]
    {
        var result: [(key: Int64, subscriptionID: String, notification: OutboundNotification)] = []
        try await connection.forEachRow(
            "SELECT seq, subscription_id, notification, body FROM notification_outbox ORDER BY seq"
        ) { row in
            guard let key = row.integer(at: 0), let id = row.text(at: 1), let text = row.text(at: 2) else {
                throw PersistenceError(.corruptedRecord, "an outbox notification does not read")
            }
            var body: [UInt8] = []
            if case .blob(let bytes) = row.value(at: 3) { body = bytes }
            result.append((key, id, try OutboundNotificationCodec.decode(text, body: body)))
        }
        return result
    }
}
