import Notifications
import Testing

@Suite("Delivery statistics")
struct DeliveryStatisticsTests {
    @Test("the mean time in queue is the summed wait over the dequeued notifications, 0 before the first")
    func averageTimeInQueue() {
        var statistics = DeliveryStatistics()
        #expect(statistics.averageTimeInQueue == 0)
        statistics.dequeued = 4
        statistics.timeInQueue = 1.0
        #expect(statistics.averageTimeInQueue == 0.25)
    }
}
