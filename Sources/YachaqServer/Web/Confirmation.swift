import Hummingbird

/// The page that asks before a step that cannot be undone (signing, choosing, cancelling,
/// ...): what will happen, in plain words and with its figures, and one button that sends
/// the same form again with `confirmed=yes`. Nothing is written until that second post, so
/// the page is safe to reload, and going back leaves everything as it was.
struct Confirmation: PageView {
    struct Fact {
        let label: String
        let value: String
    }
    struct Field {
        let name: String
        let value: String
    }

    var heading: String
    /// What the step does and what it means afterwards.
    var effect: String
    var facts: [Fact]
    /// Something the reader should know before going on (money still unpaid).
    var warning: String?
    /// The form's address and the fields it sends again.
    var action: String
    var fields: [Field]
    var yes: String
    var back: String
    /// Ending something (cancel, terminate, reject) rather than going on with it.
    var ends: Bool

    init(
        heading: String, effect: String, facts: [(label: String, value: String)], warning: String?, action: String,
        fields: [(name: String, value: String)], yes: String, back: String, ends: Bool = false
    ) {
        (self.heading, self.effect, self.warning, self.action, self.yes, self.back, self.ends) = (
            heading, effect, warning, action, yes, back, ends
        )
        self.facts = facts.map { Fact(label: $0.label, value: $0.value) }
        self.fields = fields.map { Field(name: $0.name, value: $0.value) }
    }

    /// Whether the form was sent from this page.
    static func given(_ form: FormFields) -> Bool { form["confirmed"] == "yes" }

    func render(_ kit: PageKit, _ context: AppRequestContext) throws -> Response {
        try kit.render(.confirm, self, context: context)
    }
}
