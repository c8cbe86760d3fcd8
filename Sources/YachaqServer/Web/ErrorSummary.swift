/// GOV.UK's error summary: at the top of a refused form, every error in the order of the
/// fields, each a link to its message beside the field. Messages are found in the page as
/// written: the paragraph of field `x` has the id `e-x` (or `e-x-…` when a page repeats the
/// form, one per application or step).
enum ErrorSummary {
    struct Item: PageValues {
        let text: String
        /// The message's id; nil when the page shows the message without one.
        let anchor: String?
    }

    static func items(_ errors: [String: String], in html: String) -> [Item] {
        let found = errors.map { field, message -> (position: String.Index?, item: Item) in
            guard let start = anchorStart(of: field, in: html) else { return (nil, Item(text: message, anchor: nil)) }
            let id = html[start...].prefix { $0 != "\"" }
            return (start, Item(text: message, anchor: String(id)))
        }
        return found.sorted { ($0.position ?? html.endIndex, $0.item.text) < ($1.position ?? html.endIndex, $1.item.text) }.map(\.item)
    }

    /// Where the id of `field`'s message starts: `id="e-field"` or `id="e-field-…"`.
    private static func anchorStart(of field: String, in html: String) -> String.Index? {
        for closing in ["\"", "-"] {
            if let range = html.range(of: "id=\"e-\(field)\(closing)") { return html.index(range.lowerBound, offsetBy: 4) }
        }
        return nil
    }
}
