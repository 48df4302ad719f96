import NIOCore
import Testing

@testable import ImagingServer

@Suite struct ModalityStoreRequestTests {
    static let id = "fa558bce-587a86d3-ad0da9b3-9d043d9d-4f5c5718"
    static let other = "8a8cf898-ca27c490-d0c7058c-929d0581-2bbf104d"

    private func read(_ text: String) throws -> ModalityStoreRequest {
        try ModalityStoreRequest(body: ByteBuffer(string: text))
    }

    @Test func readsTheSynchronousForms() throws {
        for body in [
            Self.id, " \(Self.id)\n", "\"\(Self.id)\"", "[\"\(Self.id)\"]", "{\"Resources\": [\"\(Self.id)\"]}",
        ] {
            let request = try read(body)
            #expect(request.resources == [Self.id], "\(body)")
            #expect(!request.isAsynchronous)
        }
        #expect(try read("[]").resources.isEmpty)
    }

    @Test func readsTheOptions() throws {
        let request = try read(
            """
            {"Resources": ["\(Self.id)", "\(Self.other)"], "Synchronous": false, "LocalAet": "ME", "Timeout": 5,
             "Priority": -2, "Permissive": true, "MoveOriginatorAet": "MOVER", "MoveOriginatorID": 7}
            """)
        #expect(request.resources == [Self.id, Self.other])
        #expect(request.isAsynchronous && request.isPermissive)
        #expect(request.localApplicationEntityTitle == "ME" && request.timeout == 5 && request.priority == -2)
        #expect(request.moveOriginator == .init(applicationEntityTitle: "MOVER", messageID: 7))
        #expect(try read("{\"Resources\": [], \"Asynchronous\": true}").isAsynchronous)
        #expect(try !read("{\"Resources\": [], \"Asynchronous\": false}").isAsynchronous)
        #expect(try read("{\"Resources\": [], \"Timeout\": 0}").timeout == nil)
        #expect(try read("{\"Resources\": [], \"StorageCommitment\": true}").requestsStorageCommitment)
        #expect(try !read("{\"Resources\": [], \"StorageCommitment\": false}").requestsStorageCommitment)
        #expect(try !read("{\"Resources\": []}").requestsStorageCommitment)
    }

    @Test func aMoveOriginatorNeedsANonZeroMessageID() throws {
        let body = "{\"Resources\": [], \"MoveOriginatorID\": 5}"
        #expect(try read(body).moveOriginator == .init(applicationEntityTitle: nil, messageID: 5))
        #expect(try read("{\"Resources\": [], \"MoveOriginatorAet\": \"M\"}").moveOriginator == nil)
        #expect(
            try read("{\"Resources\": [], \"MoveOriginatorAet\": \"M\", \"MoveOriginatorID\": 0}").moveOriginator == nil
        )
    }

    /// The errors Orthanc 1.10.1 answers for these bodies (checked side by side).
    @Test(
        arguments: [
            ("[\"abc\"]", OrthancError.Code.badFileFormat, "This string is not a valid Orthanc identifier: abc"),
            ("\"abc\"", .badFileFormat, "This string is not a valid Orthanc identifier: abc"),
            ("[1]", .badFileFormat, "Resources to be exported must be specified as a JSON array of strings"),
            ("\"not-json", .badFileFormat, "Must provide a JSON value"),
            ("42", .badFileFormat, "Must provide a JSON object, or a JSON array of strings"),
            ("{}", .badFileFormat, "Missing field in JSON: \"Resources\""),
            ("{\"Resources\": \"x\"}", .badFileFormat, "JSON field \"Resources\" must contain an array"),
            ("{\"Resources\": [], \"Permissive\": 1}", .badFileFormat, "Boolean value expected in field: Permissive"),
            (
                "{\"Resources\": [], \"Synchronous\": \"no\"}", .badFileFormat,
                "Boolean value expected in field: Synchronous"
            ),
            ("{\"Resources\": [], \"Priority\": 1.5}", .badFileFormat, "Integer value expected in field: Priority"),
            ("{\"Resources\": [], \"Timeout\": \"x\"}", .badFileFormat, "Integer value expected in field: Timeout"),
            (
                "{\"Resources\": [], \"Timeout\": -1}", .badFileFormat,
                "Unsigned integer value expected in field: Timeout"
            ),
            ("{\"Resources\": [], \"LocalAet\": 1}", .badParameterType, nil),
            ("{\"Resources\": [], \"MoveOriginatorAet\": 1}", .badParameterType, nil),
            ("{\"Resources\": [], \"MoveOriginatorID\": \"x\"}", .badParameterType, nil),
            ("{\"Resources\": [], \"StorageCommitment\": 1}", .badParameterType, nil),
            ("{\"Resources\": [], \"MoveOriginatorID\": 70000}", .parameterOutOfRange, nil),
            ("{\"Resources\": [], \"MoveOriginatorID\": -1}", .parameterOutOfRange, nil),
        ] as [(String, OrthancError.Code, String?)])
    func refusesOtherShapesWithOrthancsErrors(body: String, code: OrthancError.Code, details: String?) {
        do {
            _ = try read(body)
            Issue.record("accepted \(body)")
        } catch let error as OrthancError {
            #expect(error.code == code)
            #expect(error.details == details)
        } catch {
            Issue.record("\(error)")
        }
    }
}
