/// Sample: appends CSV values to a byte buffer without creating `String`s (the generator
/// writes gigabytes, so each value is formatted straight into bytes).
struct SampleBytes {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }
    @inline(__always) mutating func comma() { bytes.append(0x2C) }
    @inline(__always) mutating func newline() { bytes.append(0x0A) }

    mutating func text(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func text(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// A non-negative integer, left-padded with zeros to `width` digits.
    mutating func int(_ value: Int, width: Int = 0) {
        var v = value < 0 ? -value : value
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            while n < width { d[n] = 48; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }

    /// Money in cents as `1234.50`, or with `,` grouping as `1,234.50`.
    mutating func money(cents: Int, grouped: Bool) {
        if cents < 0 { bytes.append(UInt8(ascii: "-")) }
        let c = abs(cents)
        let whole = c / 100
        if grouped && whole >= 1000 {
            int(whole / 1000)
            group(whole % 1000)
        } else {
            int(whole)
        }
        bytes.append(UInt8(ascii: "."))
        int(c % 100, width: 2)
    }

    private mutating func group(_ rest: Int) {
        bytes.append(UInt8(ascii: ","))
        int(rest, width: 3)
    }

    /// A count with optional `,` grouping (`12,345`).
    mutating func count(_ value: Int, grouped: Bool) {
        guard grouped && value >= 1000 else { int(value); return }
        if value >= 1_000_000 {
            int(value / 1_000_000)
            group(value / 1000 % 1000)
        } else {
            int(value / 1000)
        }
        group(value % 1000)
    }

    /// `YYYY<sep>MM<sep>DD` for days since 1970-01-01.
    mutating func date(days: Int, separator: UInt8 = UInt8(ascii: "-")) {
        let (y, m, d) = LocalDate(days: Int32(days)).components
        int(y, width: 4)
        bytes.append(separator)
        int(m, width: 2)
        bytes.append(separator)
        int(d, width: 2)
    }

    /// `YYYY<sep>MM<sep>DD<T or space>HH:MM:SS` for wall-clock seconds since 1970-01-01T00:00.
    mutating func dateTime(wall: Int64, separator: UInt8 = UInt8(ascii: "-"), t: UInt8 = 0x20) {
        let days = Int(ZoneRules.floorDiv(wall, 86_400))
        let s = Int(wall - Int64(days) * 86_400)
        date(days: days, separator: separator)
        bytes.append(t)
        int(s / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        int(s / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        int(s % 60, width: 2)
    }

    /// `±HH:MM`.
    mutating func offset(seconds: Int) {
        bytes.append(seconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let a = abs(seconds)
        int(a / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        int(a / 60 % 60, width: 2)
    }
}
