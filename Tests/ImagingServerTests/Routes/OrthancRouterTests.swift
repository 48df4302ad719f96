import DICOM
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

        init(configuration: ImagingConfiguration = ImagingConfiguration()) async throws {
            folder = NSTemporaryDirectory() + "atrium-router-" + UUID().uuidString
            var configuration = configuration
            configuration.storageDirectory = folder
            router = await OrthancRouter(context: try ImagingServerContext(configuration: configuration))
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
        let fixture = try await Fixture()
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
        let fixture = try await Fixture()
        defer { fixture.remove() }
        let request = RESTRequest(
            method: .put, uri: "/system", segments: ["system"], query: [:], headers: [:], body: ByteBuffer())
        let response = await fixture.router.handle(request)
        #expect(response.status == 405)
        #expect(response.headers.first?.0 == "Allow")
        #expect(response.headers.first?.1 == "GET")
    }

    @Test func unknownResourceGivesEmpty404() async throws {
        let fixture = try await Fixture()
        defer { fixture.remove() }
        let (status, body) = await fixture.call(.get, "/patients/xyz")
        #expect(status == 404)
        #expect(body == nil)
    }

    @Test func emptyServer() async throws {
        let fixture = try await Fixture()
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
        let fixture = try await Fixture()
        defer { fixture.remove() }
        let (status, body) = await fixture.call(.post, "/tools/find", body: "{not json")
        #expect(status == 400)
        #expect(body?["OrthancStatus"] == 8)
        let (levelStatus, _) = await fixture.call(.post, "/tools/find", body: #"{"Level":"Nope","Query":{}}"#)
        #expect(levelStatus == 400)
        #expect(await fixture.call(.post, "/tools/find", body: #"{"Level":"Study","Query":{}}"#).1 == [])
    }

    @Test func generatesUIDs() async throws {
        let fixture = try await Fixture()
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

    /// Sends a raw request and returns the whole response.
    func send(
        _ router: OrthancRouter, _ method: RESTRequest.Method, _ path: String, headers: [String: String] = [:],
        body: ByteBuffer = ByteBuffer()
    ) async -> RESTResponse {
        let parts = path.split(separator: "?", maxSplits: 1)
        return await router.handle(
            RESTRequest(
                method: method, uri: String(parts[0]), segments: RESTRequest.segments(of: String(parts[0])),
                query: RESTRequest.query(of: parts.count > 1 ? String(parts[1]) : nil), headers: headers, body: body))
    }

    /// A small instance whose SOP Instance UID is `uid`.
    func instance(_ uid: String) throws -> ByteBuffer {
        try DICOMFile(
            dataSet: DataSet([
                DataElement(tag: DICOMTag(0x0008, 0x0016), vr: .UI, strings: ["1.2.840.10008.5.1.4.1.1.7"]),
                DataElement(tag: DICOMTag(0x0008, 0x0018), vr: .UI, strings: [uid]),
                DataElement(tag: DICOMTag(0x0020, 0x000D), vr: .UI, strings: ["1.2.3"]),
                DataElement(tag: DICOMTag(0x0020, 0x000E), vr: .UI, strings: ["1.2.3.4"]),
            ])
        ).write()
    }

    @Test func duplicateAnswersAlreadyStoredWithoutWritingAFile() async throws {
        let fixture = try await Fixture()
        defer { fixture.remove() }
        let first = await send(fixture.router, .post, "/instances", body: try instance("1.2.3.4.5"))
        #expect(first.status == 200)
        // From now on no file can be written: the storage folder becomes a regular file.
        try FileManager.default.removeItem(atPath: fixture.folder)
        #expect(FileManager.default.createFile(atPath: fixture.folder, contents: Data("x".utf8)))

        let again = await send(fixture.router, .post, "/instances", body: try instance("1.2.3.4.5"))
        #expect(again.status == 200)
        guard case .bytes(let body) = again.body else {
            Issue.record("expected a body")
            return
        }
        let id = OrthancID(hashing: ["", "1.2.3", "1.2.3.4", "1.2.3.4.5"]).value
        #expect(
            try JSONValue(parsing: body.readableBytesView) == [
                "ID": .string(id), "ParentPatient": .string(OrthancID(hashing: [""]).value),
                "ParentStudy": .string(OrthancID(hashing: ["", "1.2.3"]).value),
                "ParentSeries": .string(OrthancID(hashing: ["", "1.2.3", "1.2.3.4"]).value),
                "Path": .string("/instances/\(id)"), "Status": "AlreadyStored",
            ])
        // A new instance needs a file, which now cannot be written.
        let other = await send(fixture.router, .post, "/instances", body: try instance("1.2.3.4.6"))
        #expect(other.status == 500)
    }

    @Test func fileAsDICOMJSONAndWithAFilename() async throws {
        let fixture = try await Fixture()
        defer { fixture.remove() }
        let dataSet = DataSet([
            DataElement(tag: DICOMTag(0x0008, 0x0016), vr: .UI, strings: ["1.2.840.10008.5.1.4.1.1.7"]),
            DataElement(tag: DICOMTag(0x0008, 0x0018), vr: .UI, strings: ["1.2.3.4.5"]),
            DataElement(tag: DICOMTag(0x0010, 0x0010), vr: .PN, strings: ["Doe^Jane"]),
            DataElement(tag: DICOMTag(0x0020, 0x000D), vr: .UI, strings: ["1.2.3"]),
            DataElement(tag: DICOMTag(0x0020, 0x000E), vr: .UI, strings: ["1.2.3.4"]),
        ])
        let bytes = try DICOMFile(dataSet: dataSet).write()
        let stored = await send(fixture.router, .post, "/instances", body: bytes)
        #expect(stored.status == 200)
        let id = OrthancID(hashing: ["", "1.2.3", "1.2.3.4", "1.2.3.4.5"]).value

        let json = await send(
            fixture.router, .get, "/instances/\(id)/file", headers: ["Accept": "application/dicom+json"])
        #expect(json.status == 200)
        #expect(json.contentType == "application/dicom+json")
        guard case .bytes(let body) = json.body else {
            Issue.record("expected a body")
            return
        }
        #expect(String(buffer: body) == String(decoding: dataSet.dicomJSON(), as: UTF8.self))

        let named = await send(fixture.router, .get, "/instances/\(id)/file?filename=a.dcm")
        #expect(named.contentType == "application/dicom")
        #expect(named.headers.contains { $0 == ("Content-Disposition", "filename=\"a.dcm\"") })
        guard case .bytes(let file) = named.body else {
            Issue.record("expected a body")
            return
        }
        #expect(file == bytes)
        #expect(await send(fixture.router, .get, "/instances/nope/file?filename=a.dcm").status == 404)
    }
}
