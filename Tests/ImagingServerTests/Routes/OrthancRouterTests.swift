import Foundation
import NIOCore
import Persistence
import Testing

@testable import ImagingServer

@Suite struct OrthancRouterTests {
    /// A router over a fresh index and storage area.
    struct Fixture {
        let folder: String
        let router: OrthancRouter

        init(configuration: ImagingConfiguration = ImagingConfiguration()) throws {
            folder = NSTemporaryDirectory() + "atrium-router-" + UUID().uuidString
            var configuration = configuration
            configuration.storageDirectory = folder
            router = OrthancRouter(context: try ImagingServerContext(configuration: configuration))
        }

        func remove() { try? FileManager.default.removeItem(atPath: folder) }

        func call(_ method: RESTRequest.Method, _ path: String, body: String = "") async -> (Int, JSONValue?) {
            let parts = path.split(separator: "?", maxSplits: 1)
            let request = RESTRequest(
                method: method, uri: String(parts[0]), segments: RESTRequest.segments(of: String(parts[0])),
                query: RESTRequest.query(of: parts.count > 1 ? String(parts[1]) : nil), headers: [:],
                body: ByteBuffer(string: body))
            let response = await router.handle(request)
            guard case .bytes(let buffer) = response.body, buffer.readableBytes > 0 else {
                return (response.status, nil)
            }
            return (response.status, try? JSONValue(parsing: buffer.readableBytesView))
        }
    }

    @Test func unknownRouteGivesOrthancErrorBody() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let (status, body) = await fixture.call(.get, "/nonexistent")
        #expect(status == 404)
        #expect(
            body == [
                "HttpError": "Not Found", "HttpStatus": 404, "Message": "Unknown resource", "Method": "GET",
                "OrthancError": "Unknown resource", "OrthancStatus": 17, "Uri": "/nonexistent",
            ])
    }

    @Test func wrongMethodGives405WithAllow() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let request = RESTRequest(
            method: .put, uri: "/system", segments: ["system"], query: [:], headers: [:], body: ByteBuffer())
        let response = await fixture.router.handle(request)
        #expect(response.status == 405)
        #expect(response.headers.first?.0 == "Allow")
        #expect(response.headers.first?.1 == "GET")
    }

    @Test func unknownResourceGivesEmpty404() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let (status, body) = await fixture.call(.get, "/patients/xyz")
        #expect(status == 404)
        #expect(body == nil)
    }

    @Test func emptyServer() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        #expect(await fixture.call(.get, "/patients").1 == [])
        #expect(await fixture.call(.get, "/changes").1 == ["Changes": [], "Done": true, "Last": 0])
        let statistics = await fixture.call(.get, "/statistics").1
        #expect(statistics?["TotalDiskSize"] == "0")
        #expect(statistics?["CountInstances"] == 0)
        let system = await fixture.call(.get, "/system").1
        #expect(system?["DatabaseVersion"] == 6)
        #expect(system?["HttpPort"] == 8042)
    }

    @Test func badFindBodies() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let (status, body) = await fixture.call(.post, "/tools/find", body: "{not json")
        #expect(status == 400)
        #expect(body?["OrthancStatus"] == 8)
        let (levelStatus, _) = await fixture.call(.post, "/tools/find", body: #"{"Level":"Nope","Query":{}}"#)
        #expect(levelStatus == 400)
        #expect(await fixture.call(.post, "/tools/find", body: #"{"Level":"Study","Query":{}}"#).1 == [])
    }

    @Test func generatesUIDs() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let request = RESTRequest(
            method: .get, uri: "/tools/generate-uid", segments: ["tools", "generate-uid"], query: ["level": "study"],
            headers: [:], body: ByteBuffer())
        let response = await fixture.router.handle(request)
        guard case .bytes(let buffer) = response.body else {
            Issue.record("no body")
            return
        }
        #expect(String(buffer: buffer).hasPrefix("2.25."))
        #expect(await fixture.call(.get, "/tools/generate-uid?level=bogus").0 == 400)
    }
}
