import NIOCore
import Testing

@testable import ImagingServer

@Suite struct OrthancRequestContextTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1"),
        ("192.0.2.17", "192.0.2.17"),
        ("::1", "::1"),
        ("2001:db8:0:0:0:0:0:1", "2001:db8::1"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
    ])
    func remoteIPOfAnIPAddress(address: String, expected: String) throws {
        let socketAddress = try SocketAddress(ipAddress: address, port: 40_123)
        #expect(OrthancRequestContext.remoteIP(of: socketAddress) == expected)
    }

    @Test func remoteIPWithoutAnIPPeerIsEmpty() throws {
        #expect(OrthancRequestContext.remoteIP(of: nil) == "")
        let unix = try SocketAddress(unixDomainSocketPath: "/tmp/atrium.sock")
        #expect(OrthancRequestContext.remoteIP(of: unix) == "")
    }
}
