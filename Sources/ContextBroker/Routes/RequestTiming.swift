/// The durations of the `timing` block (statistics.md, "Timing block").
struct RequestTiming: Sendable, Equatable {
    var jsonV2Parse = Duration.zero
    var render = Duration.zero
    var total = Duration.zero

    static func += (lhs: inout RequestTiming, rhs: RequestTiming) {
        lhs.jsonV2Parse += rhs.jsonV2Parse
        lhs.render += rhs.render
        lhs.total += rhs.total
    }
}
