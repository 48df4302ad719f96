import Testing

@testable import ImagingServer

@Suite struct SeriesStatusTests {
    @Test func expectedNumberOfInstancesFollowsOrthancsOrder() {
        func expected(_ tags: [UInt32: String]) -> Int64? { SeriesStatus.expectedNumberOfInstances(tags: tags) }
        // ImagesInAcquisition × NumberOfTemporalPositions first.
        #expect(expected([0x0020_1002: "2", 0x0020_0105: "2", 0x0018_1090: "7"]) == 4)
        #expect(expected([0x0020_1002: "5", 0x0020_0105: "1", 0x0054_0081: "2", 0x0054_0101: "3"]) == 5)
        // Then NumberOfSlices × NumberOfTimeSlices.
        #expect(expected([0x0054_0081: "2", 0x0054_0101: "3", 0x0018_1090: "5"]) == 6)
        // Then CardiacNumberOfImages alone.
        #expect(expected([0x0018_1090: "2", 0x0020_1002: "5"]) == 2)
        #expect(expected([0x0018_1090: " 3 "]) == 3)
        // One member of a pair is not enough; zero and non-numbers give nothing, without falling through.
        #expect(expected([0x0020_1002: "3"]) == nil)
        #expect(expected([0x0054_0081: "2"]) == nil)
        #expect(expected([0x0054_0101: "3"]) == nil)
        #expect(expected([0x0020_1002: "0", 0x0020_0105: "2", 0x0018_1090: "3"]) == nil)
        #expect(expected([0x0018_1090: "x"]) == nil)
        #expect(expected([:]) == nil)
    }

    @Test func statusComparesIndicesWithTheExpectedCount() {
        #expect(SeriesStatus(expected: nil, indices: ["1"]) == .unknown)
        #expect(SeriesStatus(expected: 2, indices: ["1", "2"]) == .complete)
        #expect(SeriesStatus(expected: 2, indices: ["2", "01"]) == .complete)
        #expect(SeriesStatus(expected: 2, indices: ["2"]) == .missing)
        #expect(SeriesStatus(expected: 2, indices: []) == .missing)
        #expect(SeriesStatus(expected: 4, indices: ["1", "1"]) == .inconsistent)
        #expect(SeriesStatus(expected: 2, indices: ["3"]) == .inconsistent)
        #expect(SeriesStatus(expected: 2, indices: ["0"]) == .inconsistent)
        #expect(SeriesStatus(expected: 2, indices: [""]) == .unknown)
    }

    @Test func indexInSeriesPrefersInstanceNumber() {
        #expect(SeriesStatus.indexInSeries(tags: [0x0020_0013: " 01", 0x0054_1330: "7"]) == "01")
        #expect(SeriesStatus.indexInSeries(tags: [0x0054_1330: "7"]) == "7")
        #expect(SeriesStatus.indexInSeries(tags: [0x0020_0013: ""]) == "")
        #expect(SeriesStatus.indexInSeries(tags: [:]) == nil)
    }
}
