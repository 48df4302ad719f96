/// One frame of pixel data decoded to integer sample values (PS3.3 §C.7.6.3, PS3.5 §8).
///
/// Samples are stored color-by-pixel, row by row: for a color frame R, G, B of the first pixel, then of the next.
/// Values are the stored values, masked to Bits Stored and sign-extended when Pixel Representation is 1; no
/// Modality LUT (rescale) is applied and MONOCHROME1 is not inverted.
public struct DecodedFrame: Sendable, Hashable {
    /// The layout the samples came from.
    public let attributes: PixelAttributes
    /// The sample values, `rows × columns × samplesPerPixel` of them.
    public let samples: [Int64]

    /// A frame from its attributes and samples.
    public init(attributes: PixelAttributes, samples: [Int64]) {
        self.attributes = attributes
        self.samples = samples
    }

    /// The smallest and the largest sample, nil for an empty frame.
    public var range: (minimum: Int64, maximum: Int64)? {
        guard var minimum = samples.first else { return nil }
        var maximum = minimum
        for value in samples {
            if value < minimum { minimum = value }
            if value > maximum { maximum = value }
        }
        return (minimum, maximum)
    }
}
