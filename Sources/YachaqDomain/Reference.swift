import Foundation

/// An INEI UBIGEO district code: six digits, leading zeros kept ("080101" is Cusco).
public struct Ubigeo: Hashable, Sendable, Codable, CustomStringConvertible {
    public let code: String

    public init?(_ code: String) {
        guard code.isDigits(count: 6) else { return nil }
        self.code = code
    }

    public var description: String { code }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Ubigeo(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a ubigeo is 6 digits, e.g. 080101"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

/// A district of Peru; the coordinates and altitude are those of its capital.
public struct District: Sendable, Codable, Equatable {
    public var ubigeo: String
    public var department: String
    public var province: String
    public var district: String
    public var capital: String
    public var latitude: Double
    public var longitude: Double
    public var altitudeM: Double

    public init(
        ubigeo: String, department: String, province: String, district: String, capital: String, latitude: Double, longitude: Double,
        altitudeM: Double
    ) {
        self.ubigeo = ubigeo
        self.department = department
        self.province = province
        self.district = district
        self.capital = capital
        self.latitude = latitude
        self.longitude = longitude
        self.altitudeM = altitudeM
    }
}

/// A language by its ISO 639-3 code; Quechua varieties name `que` as their macrolanguage.
public struct Language: Sendable, Codable, Equatable {
    public var code: String
    public var nameEs: String
    public var nameEn: String
    public var nameQu: String?
    public var macrolanguage: String?
    public var scope: String
    public var area: String

    public init(code: String, nameEs: String, nameEn: String, nameQu: String?, macrolanguage: String?, scope: String, area: String) {
        self.code = code
        self.nameEs = nameEs
        self.nameEn = nameEn
        self.nameQu = nameQu
        self.macrolanguage = macrolanguage
        self.scope = scope
        self.area = area
    }

    // Written out so that an absent macrolanguage is an explicit null, as the API promises.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(nameEs, forKey: .nameEs)
        try container.encode(nameEn, forKey: .nameEn)
        try container.encodeIfPresent(nameQu, forKey: .nameQu)
        try container.encode(macrolanguage, forKey: .macrolanguage)
        try container.encode(scope, forKey: .scope)
        try container.encode(area, forKey: .area)
    }
}

/// A skill of the project's taxonomy; groups have no parent.
public struct Skill: Sendable, Codable, Equatable {
    public var code: String
    public var nameEs: String
    public var nameQu: String
    public var nameEn: String
    public var parent: String?

    public init(code: String, nameEs: String, nameQu: String, nameEn: String, parent: String?) {
        self.code = code
        self.nameEs = nameEs
        self.nameQu = nameQu
        self.nameEn = nameEn
        self.parent = parent
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(nameEs, forKey: .nameEs)
        try container.encode(nameQu, forKey: .nameQu)
        try container.encode(nameEn, forKey: .nameEn)
        try container.encode(parent, forKey: .parent)
    }
}
