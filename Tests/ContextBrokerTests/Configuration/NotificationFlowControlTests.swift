import Testing

@testable import ContextBroker

@Suite struct NotificationFlowControlTests {
    @Test func parses() throws {
        #expect(
            try NotificationFlowControl.parse("0.5:10:2000").get()
                == .init(gauge: 0.5, stepDelay: 10, maxInterval: 2000))
        #expect(try NotificationFlowControl.parse("1:1:1").get().gauge == 1)
    }

    @Test(arguments: [
        ("0.5:10", "more tokens than expected (2)"), ("0.5:10:1:1", "more tokens than expected (4)"),
        ("x:10:10", "error parsing gauge 'x': not a number"),
        ("1.5:10:10", "gauge must be between 0 and 1 and is 1.500000"),
        ("0.5:0:10", "stepDelay must be strictly greater than 0"),
        ("0.5:10:0", "maxInterval must be strictly greater than 0"),
        ("0.5:-1:10", "error parsing stepDelay '-1': not an unsigned number"),
    ])
    func refuses(text: String, message: String) {
        #expect(
            NotificationFlowControl.parse(text)
                == .failure(.fatal("Fatal Error parsing notification flow control: " + message)))
    }
}
