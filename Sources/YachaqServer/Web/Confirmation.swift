import Hummingbird

/// The page that asks before a step that cannot be undone (signing, choosing, cancelling,
/// ...): what will happen, in plain words and with its figures, and one button that sends
/// the same form again with `confirmed=yes`. Nothing is written until that second post, so
/// the page is safe to reload, and going back leaves everything as it was.
struct Confirmation {
    var heading: String
    /// What the step does and what it means afterwards.
    var effect: String
    var facts: [(label: String, value: String)]
    /// Something the reader should know before going on (money still unpaid).
    var warning: String?
    /// The form's address and the fields it sends again.
    var action: String
    var fields: [(name: String, value: String)]
    var yes: String
    var back: String
    /// Ending something (cancel, terminate, reject) rather than going on with it.
    var ends = false

    /// Whether the form was sent from this page.
    static func given(_ form: FormFields) -> Bool { form["confirmed"] == "yes" }

    func render(_ kit: PageKit, _ context: AppRequestContext) throws -> Response {
        var values: [String: Any] = [
            "heading": heading, "effect": effect, "action": action, "yes": yes, "back": back, "danger": ends,
            "facts": facts.map { ["label": $0.label, "value": $0.value] },
            "fields": fields.map { ["name": $0.name, "value": $0.value] },
        ]
        if let warning { values["warning"] = warning }
        return try kit.render("confirm", values, context: context)
    }
}
