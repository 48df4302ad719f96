import Persistence

extension ContextBroker {
    // MARK: - /v2/subscriptions

    /// `GET /v2/subscriptions`: the tenant's subscriptions created with exactly the request's service path, in
    /// creation order, paged by `limit` and `offset`, with `Fiware-Total-Count` on `options=count`.
    func listSubscriptions(_ request: NGSIRequest) async throws -> NGSIResponse {
        var paging = EntityQuery()
        try applyPaging(request, to: &paging)
        let servicePath = try Self.subscriptionServicePath(request.servicePath)
        _ = try await database(tenant: request.tenant)
        let all = subscriptions.subscriptions(tenant: request.tenant, servicePath: servicePath)
        let page = all.dropFirst(min(paging.offset, all.count)).prefix(paging.limit)
        let headers = paging.count ? [("Fiware-Total-Count", String(all.count))] : []
        return .json(SubscriptionRenderer.render(Array(page), now: DateTimeFormat.now()), headers: headers)
    }

    /// `POST /v2/subscriptions`: 201 with `Location: /v2/subscriptions/<id>`.
    func createSubscription(_ request: NGSIRequest) async throws -> NGSIResponse {
        let payload = try SubscriptionPayload(try request.json(), update: false)
        let servicePath = try Self.subscriptionServicePath(request.servicePath)
        guard
            let subscription = payload.subscription(
                id: SubscriptionID.make(), tenant: request.tenant, servicePath: servicePath)
        else { throw NGSIError(.badRequest, "no subject for subscription specified") }
        let cache = subscriptions
        try await writeSubscriptions(tenant: request.tenant) { connection in
            try await SubscriptionStore.insert(connection, subscription)
            cache.upsert(subscription)
        }
        return NGSIResponse(status: 201, headers: [("Location", "/v2/subscriptions/\(subscription.id)")])
    }

    // MARK: - /v2/subscriptions/{id}

    /// `GET /v2/subscriptions/{id}`, whatever the service path (orion-ngsiv2-facts §1.8).
    func retrieveSubscription(_ request: NGSIRequest) async throws -> NGSIResponse {
        _ = try await database(tenant: request.tenant)
        guard let subscription = subscriptions.subscription(id: request.segments[0], tenant: request.tenant) else {
            throw NGSIError.subscriptionNotFound
        }
        return .json(SubscriptionRenderer.render(subscription, now: DateTimeFormat.now()))
    }

    /// `PATCH /v2/subscriptions/{id}`: the given fields replace the stored ones; 204.
    func updateSubscription(_ request: NGSIRequest) async throws -> NGSIResponse {
        let id = request.segments[0]
        let tenant = request.tenant
        // The payload is checked first, as in Orion, so a bad one gets its 400 even for an unknown id.
        let payload = try SubscriptionPayload(try request.json(), update: true)
        guard SubscriptionID.isWellFormed(id) else { throw NGSIError.subscriptionNotFound }
        let cache = subscriptions
        try await writeSubscriptions(tenant: tenant) { connection in
            guard var subscription = try await SubscriptionStore.find(connection, id: id, tenant: tenant) else {
                throw NGSIError.subscriptionNotFound
            }
            // The counters the notification side keeps in memory are fresher than the stored ones.
            if let cached = cache.subscription(id: id, tenant: tenant) {
                subscription.counters = cached.counters
                subscription.status = cached.status
            }
            let wasInactive = subscription.status == .inactive
            payload.apply(to: &subscription)
            // A subscription made active again starts its failure count again (orion-api.md, "failsCounter").
            if wasInactive, subscription.status != .inactive { subscription.counters.failsCounter = 0 }
            try await SubscriptionStore.update(connection, subscription)
            cache.upsert(subscription)
        }
        return .noContent
    }

    /// `DELETE /v2/subscriptions/{id}`: 204.
    func deleteSubscription(_ request: NGSIRequest) async throws -> NGSIResponse {
        let id = request.segments[0]
        let tenant = request.tenant
        guard SubscriptionID.isWellFormed(id) else { throw NGSIError.subscriptionNotFound }
        let cache = subscriptions
        try await writeSubscriptions(tenant: tenant) { connection in
            guard try await SubscriptionStore.delete(connection, id: id) else { throw NGSIError.subscriptionNotFound }
            cache.remove(id: id, tenant: tenant)
        }
        return .noContent
    }

    /// Runs a write of the tenant's subscriptions, which updates the cache from the writer (so cache updates
    /// follow commit order); when the transaction fails after that, the cache is reloaded from the database.
    private func writeSubscriptions(
        tenant: String, _ body: @escaping @Sendable (any Connection) async throws -> Void
    ) async throws {
        let database = try await database(tenant: tenant)
        do {
            try await database.timedWrite(body)
        } catch let error as NGSIError {
            throw error
        } catch {
            try? await reloadSubscriptions(tenant: tenant, from: database)
            throw error
        }
    }

    /// A subscription's service path: the request's single scope as given (`/a`, `/a/#`), `/#` when the header
    /// is missing, as Orion keeps it.
    /// - Throws: ``NGSIError`` for a malformed path or more than one.
    static func subscriptionServicePath(_ header: String?) throws(NGSIError) -> String {
        guard let header, !header.trimmingWhitespace().isEmpty else { return "/#" }
        let scopes = try ServicePath.forQuery(header)
        guard scopes.count == 1, let scope = scopes.first else {
            throw NGSIError(.badRequest, "more than one service path in context update request")
        }
        guard scope.recursive else { return scope.path }
        return scope.path == "/" ? "/#" : scope.path + "/#"
    }
}
