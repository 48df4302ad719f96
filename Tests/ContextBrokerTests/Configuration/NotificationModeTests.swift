import Testing

@testable import ContextBroker

@Suite struct NotificationModeTests {
    @Test func parsesOrionsModes() throws {
        #expect(try NotificationMode.parse("transient").get() == .transient)
        #expect(try NotificationMode.parse("persistent").get() == .persistent)
        #expect(
            try NotificationMode.parse("threadpool:200:20").get()
                == .threadpool(queueSize: 200, workers: 20, services: []))
        #expect(
            try NotificationMode.parse("threadpool").get() == .threadpool(queueSize: 100, workers: 10, services: []))
        #expect(
            try NotificationMode.parse("threadpool:10:2,s1:5:1,s2:6:3").get()
                == .threadpool(
                    queueSize: 10, workers: 2,
                    services: [
                        .init(service: "s1", queueSize: 5, workers: 1), .init(service: "s2", queueSize: 6, workers: 3),
                    ]))
    }

    @Test(arguments: [
        ("threadpool:0:5", "Fatal Error parsing notification mode: invalid queue size (0)"),
        ("threadpool:5:0", "Fatal Error parsing notification mode: invalid number of threads (0)"),
        ("threadpool:-1:5", "Fatal Error parsing notification mode: invalid queue size (-1)"),
        ("threadpool:5", "Fatal Error parsing notification mode: invalid mode (threadpool:5)"),
        ("sometimes", "Fatal Error parsing notification mode: invalid mode (sometimes)"),
        ("persistent:1:2", "Fatal Error parsing notification mode: invalid mode (persistent:1:2)"),
        ("threadpool:1:1,s1:5", "Fatal Error parsing service reserved queue: s1:5"),
    ])
    func refuses(text: String, message: String) {
        #expect(NotificationMode.parse(text) == .failure(.fatal(message)))
    }
}
