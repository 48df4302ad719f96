import Foundation
import NIOCore
import Testing

@testable import ImagingServer

/// A deterministic mutation fuzzer of the JSON bodies of the DICOM network routes: Orthanc-shaped bodies of
/// `/modalities/{id}/store`, `/query`, `/move`, `PUT /modalities/{id}` and `PUT /tools/accepted-transfer-syntaxes`,
/// with bytes flipped, overwritten, cut or inserted, parsed as JSON and then read as each route reads them. Every
/// mutant must be read or refused with an error; a crash fails the test process. `ATRIUM_FUZZ_ITERATIONS` sets the
/// number of mutants (2,000 by default; `scripts/test` runs 10,000).
@Suite struct RequestBodyFuzzTests {
    private static var iterations: Int {
        ProcessInfo.processInfo.environment["ATRIUM_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 2_000
    }

    static let seeds: [String] = [
        #"{"Resources":["6b9e19d9-62094390-5f9ddb01-4a191ae7-9766b715"],"LocalAet":"ATRIUM","Timeout":10,"#
            + #""Synchronous":false,"Priority":3,"Permissive":true,"MoveOriginatorAet":"X","MoveOriginatorID":7}"#,
        #"{"Level":"Study","Query":{"PatientName":"SMITH*","0008,0020":"20200101-20221231"},"Normalize":false,"#
            + #""Timeout":5,"LocalAet":"A","TargetAet":"B","Synchronous":true,"Priority":0}"#,
        #"{"AET":"PACS","Host":"10.0.0.1","Port":"104","AllowMove":false,"Manufacturer":"GE","UseDicomTls":true}"#,
        #"["PACS","127.0.0.1",104,"GenericNoUniversalWildcard"]"#,
        #"["1.2.840.10008.1.2.4.5?","1.2.840.10008.1.*"]"#,
    ]

    /// Bytes that matter to a JSON parser.
    static let jsonBytes = Array(#"{}[]",:0-9e"\ "#.utf8)

    @Test func mutantsAreReadOrRefused() {
        var generator = StreamedReadingFuzzTests.Generator(state: 0x0B0D_F022)
        var read = 0
        for iteration in 0..<Self.iterations {
            var bytes = Array(Self.seeds[iteration % Self.seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
                case 1: bytes[position] = Self.jsonBytes[Int.random(in: 0..<Self.jsonBytes.count, using: &generator)]
                case 2: bytes.removeSubrange(position..<bytes.count)
                default: bytes.insert(contentsOf: Array(#"[{"\u0000"#.utf8), at: position)
                }
            }
            _ = try? AcceptedTransferSyntaxes(requestBody: String(decoding: bytes, as: UTF8.self))
            _ = try? ModalityStoreRequest(body: ByteBuffer(bytes: bytes))
            guard let value = try? JSONValue(parsing: bytes) else { continue }
            read += 1
            _ = try? RemoteModality(json: value)
            if let object = value.objectValue {
                _ = try? RetrieveOptions(object)
                _ = try? RetrieveOptions(object, isQuery: true)
                if let query = object["Query"]?.objectValue {
                    _ = try? QueryRetrieveIdentifiers.keys(query, field: "Query")
                }
            }
        }
        #expect(read > 0)
    }
}
