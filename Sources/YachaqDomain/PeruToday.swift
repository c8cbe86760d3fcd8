import Foundation

/// Today as Peru's calendar has it, or the day a test fixes. Peru keeps UTC−5 all year (no
/// daylight saving since 1994), so no time-zone database is needed.
public struct PeruToday: Sendable {
    private let day: @Sendable () -> CalendarDate

    public init(_ day: @escaping @Sendable () -> CalendarDate) {
        self.day = day
    }

    /// The system clock's day in Peru.
    public static let system = PeruToday { CalendarDate(dayInPeruOf: Date()) }

    /// Always `day`: for a test world whose contracts lie in a year of its choosing.
    public static func fixed(_ day: CalendarDate) -> PeruToday { PeruToday { day } }

    public func callAsFunction() -> CalendarDate { day() }

    /// Peru's calendar: Gregorian at UTC−5, for days and for times as Peru's clocks show them.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: -5 * 3600) ?? .gmt
        return calendar
    }()
}

extension CalendarDate {
    /// The day it is in Peru at `moment` (a year outside 1900–2200, which no clock of this
    /// service will show, reads as 2200-12-31).
    init(dayInPeruOf moment: Date) {
        let day = PeruToday.calendar.dateComponents([.year, .month, .day], from: moment)
        let text = String(format: "%04d-%02d-%02d", day.year ?? 2000, day.month ?? 1, day.day ?? 1)
        self = CalendarDate(text) ?? CalendarDate(latest: ())
    }

    /// The last day a `CalendarDate` can be.
    private init(latest: Void) {
        text = "2200-12-31"
    }
}
