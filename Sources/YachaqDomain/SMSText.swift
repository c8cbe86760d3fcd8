/// A text as a phone network carries it: in GSM-7 when every character has a place in the
/// GSM 03.38 alphabet (7 bits each, 160 to a segment, 153 when split), else in UCS-2 (16 bits
/// each, 70 to a segment, 67 when split). A message of more than one segment costs as many.
public struct SMSText: Sendable, Equatable {
    public let text: String
    public let isGSM7: Bool
    /// Septets in GSM-7 (an extension character takes two), UTF-16 units in UCS-2.
    public let units: Int

    /// `text` as it will be sent: the letters of Spanish and Quechua that GSM-7 lacks written
    /// as their plain letter (á → a: read the same in an SMS, and it keeps a text in GSM-7,
    /// where one such letter would make the whole text UCS-2, under half the length),
    /// guillemets as straight quotes. Letters GSM-7 has (ñ, é, ü) are kept.
    public init(_ text: String) {
        let plain = String(text.map { Self.plain[$0] ?? $0 })
        self.text = plain
        let septets = plain.reduce(into: 0 as Int?) { count, character in
            guard let sum = count else { return }
            if Self.basic.contains(character) {
                count = sum + 1
            } else if Self.extended.contains(character) {
                count = sum + 2
            } else {
                count = nil
            }
        }
        isGSM7 = septets != nil
        units = septets ?? plain.utf16.count
    }

    /// How many segments the network sends it in.
    public var segments: Int {
        let (single, part) = isGSM7 ? (160, 153) : (70, 67)
        return units <= single ? 1 : (units + part - 1) / part
    }

    /// The GSM 03.38 basic alphabet.
    static let basic = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    )
    /// Its extension table: two septets each.
    static let extended = Set("^{}\\[~]|€\u{0C}")
    static let plain: [Character: Character] = [
        "á": "a", "í": "i", "ó": "o", "ú": "u", "Á": "A", "Í": "I", "Ó": "O", "Ú": "U", "«": "\"", "»": "\"", "’": "'", "‘": "'",
        "“": "\"", "”": "\"", "–": "-", "—": "-",
    ]
}
