/// One notification to send for a change: the subscription, and the attributes its notification carries.
package struct SubscriptionMatch: Sendable, Equatable {
    /// The subscription that matched, as cached when the change was matched.
    package var subscription: Subscription
    /// The names of the attributes to notify, in notification order: `notification.attrs` (builtins included;
    /// names the entity lacks only with `covered`), every attribute but `exceptAttrs`, or every attribute; with
    /// `onlyChangedAttrs`, only those the triggering request touched, and the builtins listed.
    package var attributes: [String]

    package init(subscription: Subscription, attributes: [String]) {
        self.subscription = subscription
        self.attributes = attributes
    }
}
