import Foundation
import Hummingbird
import YachaqDomain
import YachaqWords
import YachaqStore

/// Turning a page's form into the API's input (so the domain checks it, once, for both),
/// and the domain's objections back into words next to the fields.
enum PageForms {
    /// Soles as people type them (`Money.cents(typed:)`), nil when absent or no amount.
    static func cents(_ text: String?) -> Int64? {
        text.flatMap(Money.cents(typed:))
    }

    /// A whole number typed in a form, nil when it is not one of at most 9 digits.
    static func whole(_ text: String?) -> Int? {
        guard let text, (1...9).contains(text.count), text.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(text)
    }

    /// `check`'s draft, refused with the page's own objections (an amount that is no amount,
    /// ...) and the domain's together, so the reader sees every error at once.
    static func checked<Draft>(adding problems: [FieldError], _ check: () throws -> Draft) throws -> Draft {
        let draft: Draft
        do {
            draft = try check()
        } catch let invalid as InvalidInput {
            throw InvalidInput(problems + invalid.errors)
        }
        guard problems.isEmpty else { throw InvalidInput(problems) }
        return draft
    }

    /// The field errors of a refused write, or nil when the error is not about the input.
    /// A conflict (a double booking, a state that moved on) is put on the form as a whole.
    static func fieldErrors(of error: any Error) -> [FieldError]? {
        switch error {
        case let invalid as InvalidInput: return invalid.errors
        case let problem as Problem where problem.status == .unprocessableContent:
            return problem.errors ?? [FieldError(field: "form", message: problem.detail)]
        case let problem as Problem where problem.status == .conflict: return [FieldError(field: "form", message: problem.detail)]
        case StoreError.conflict(let detail): return [FieldError(field: "form", message: detail)]
        default: return nil
        }
    }

    /// Each error in the reader's words, under the form field it belongs to: the API's field
    /// name (its first part: `funding[2].amount_cents` → `funding`) through `fields`. The text
    /// is `error.field.<form field>`; a field without its own text gets `error.field.invalid`.
    static func messages(_ errors: [FieldError], fields: [String: String] = [:], kit: PageKit, language: PageLanguage)
        -> [String: String]
    {
        var messages: [String: String] = [:]
        for error in errors {
            let head = String(error.field.prefix { $0 != "[" && $0 != "." })
            let field = fields[head] ?? head
            let key = kit.translations.has("error.field.\(field)", language) ? "error.field.\(field)" : "error.field.invalid"
            messages[field] = kit.text(key, language)
        }
        return messages
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
