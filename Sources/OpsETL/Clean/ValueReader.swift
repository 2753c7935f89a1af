/// Clean: one input's value settings — `timestamp_formats`, `decimal_separator` and
/// `cleaning.round_money` (SPEC §2, §3.3) — built once per input and shared by its chunks.
///
/// With none of them set every call is exactly the built-in fast path (`TimestampParser`,
/// `MoneyParser`, `CountParser`); the settings only add work for the inputs that use them.
struct ValueReader: Sendable {
    let timestamps: TimestampFormats
    let numbers: MoneyFormat
    private let standardNumbers: Bool

    init(timestamps: TimestampFormats = TimestampFormats(), numbers: MoneyFormat = .standard) {
        self.timestamps = timestamps
        self.numbers = numbers
        standardNumbers = numbers.isStandard
    }

    init(spec: InputSpec, cleaning: Cleaning) {
        self.init(timestamps: spec.timestampFormats,
                  numbers: MoneyFormat(decimalSeparator: spec.decimalSeparator, roundMoney: cleaning.roundMoney))
    }

    @inline(__always)
    func timestamp(_ b: UnsafeBufferPointer<UInt8>, zone: ZoneRules) -> Instant? {
        timestamps.parse(b, zone: zone)
    }

    @inline(__always)
    func money(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        standardNumbers ? MoneyParser.parse(b) : numbers.readMoney(b).value
    }

    @inline(__always)
    func count(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        standardNumbers ? CountParser.parse(b) : numbers.readCount(b).value
    }
}
