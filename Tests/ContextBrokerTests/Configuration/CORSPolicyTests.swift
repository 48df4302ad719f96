import Testing

@testable import ContextBroker

@Suite struct CORSPolicyTests {
    @Test func anyOriginIsAStar() {
        let policy = CORSPolicy(origin: "__ALL")
        let headers = policy.headers(requestOrigin: "https://app.example")
        #expect(headers.map(\.0) == ["Access-Control-Allow-Origin", "Access-Control-Expose-Headers"])
        #expect(headers[0].1 == "*")
        #expect(headers[1].1 == "Fiware-Correlator, Fiware-Total-Count, Location")
    }

    @Test func aPreflightGetsMethodsHeadersAndMaxAge() {
        let policy = CORSPolicy(origin: "https://app.example", maxAge: 600)
        let headers = policy.headers(
            requestOrigin: "https://app.example", preflightMethods: ["GET", "POST", "OPTIONS"])
        #expect(headers.first { $0.0 == "Access-Control-Allow-Origin" }?.1 == "https://app.example")
        #expect(headers.first { $0.0 == "Access-Control-Allow-Methods" }?.1 == "GET, POST, OPTIONS")
        #expect(headers.first { $0.0 == "Access-Control-Max-Age" }?.1 == "600")
        #expect(
            headers.first { $0.0 == "Access-Control-Allow-Headers" }?.1
                == "Content-Type, Fiware-Service, Fiware-Servicepath, Ngsiv2-AttrsFormat, Fiware-Correlator, "
                + "X-Forwarded-For, X-Real-IP, X-Auth-Token, Authorization")
    }

    @Test func anotherOriginOrNoneGetsNoCORSHeader() {
        let policy = CORSPolicy(origin: "https://app.example")
        #expect(policy.headers(requestOrigin: "https://other.example").isEmpty)
        #expect(policy.headers(requestOrigin: nil, preflightMethods: ["GET"]).isEmpty)
    }
}
