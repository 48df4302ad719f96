/// What a finished job leaves: an output file, if any, and details merged into its `Content`.
package struct JobOutput: Sendable {
    package var path: String?
    package var content: [String: JSONValue]

    package init(path: String?, content: [String: JSONValue]) {
        self.path = path
        self.content = content
    }
}
