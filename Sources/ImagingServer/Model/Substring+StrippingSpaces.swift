extension Substring {
    /// The text without the spaces, tabs and line breaks around it, as Orthanc's `StripSpaces` leaves a request
    /// body.
    var strippingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
