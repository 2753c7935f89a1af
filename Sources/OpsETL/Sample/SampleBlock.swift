/// Sample: the rows of one contiguous range of users, for every export at once.
///
/// A user's rows depend only on the seed and the user's number, so blocks are generated
/// concurrently and written in block order: the files are the same whatever the thread count.
struct SampleBlock {
    var users: SampleBytes
    /// One buffer per sales file (the quarter of the order, or of a re-export's update).
    var sales: [SampleBytes]
    var events: SampleBytes
    var userRows = 0
    var salesRows = [Int](repeating: 0, count: SampleShop.salesFiles)
    var eventRows = 0

    init(userCount: Int) {
        users = SampleBytes(capacity: userCount * 48)
        sales = (0..<SampleShop.salesFiles).map { _ in SampleBytes(capacity: userCount * 90) }
        events = SampleBytes(capacity: userCount * 620)
    }
}

/// Sample: one user's signup, sessions (events), orders and the planted defects.
struct SampleUserWriter {
    let shop: SampleShop
    let clock: SampleClock

    /// SPEC-shaped raw channel spellings; aliases in the pipeline map them back.
    static let channelSpellings: [[StaticString]] = [
        ["organic", "Organic", "(direct)"],
        ["google", "Google", "Google Ads", "google "],
        ["facebook", "fb", "Facebook Ads", "FACEBOOK"],
        ["tiktok", "TikTok Ads", "tiktok"],
        ["email", "newsletter", "Email"],
        ["affiliate", "Affiliate"],
        [""],
    ]
    /// Acquisition mix, per mille: organic, google, facebook, tiktok, email, affiliate, none.
    static let channelWeights = [300, 220, 200, 120, 80, 50, 30]
    static let countries: [StaticString] = ["Germany", "Germany", "Germany", "Austria", "Switzerland", "France", "Netherlands", ""]
    /// Catalogue prices in cents; 0.5 % of orders are a bundle at 1,199.00.
    static let prices = [490, 990, 1490, 1990, 2490, 2990, 3990, 4990, 7990, 12_990]
    static let bundle = 119_900
    /// Weekly activity decay: chance (per 10 000) that a user is active k weeks after signup, before engagement.
    static let decay: [Int] = {
        var out = [8000]
        var p = 3200.0
        for _ in 1..<60 {
            out.append(Int(p) + 350)
            p *= 0.86
        }
        return out
    }()

    func write(user u: Int, into block: inout SampleBlock) {
        var rng = SampleRandom(seed: shop.seed, stream: UInt64(u))
        let id = { (out: inout SampleBytes) in
            out.byte(UInt8(ascii: "u"))
            out.int(u + 1, width: shop.idWidth)
        }
        let signup = shop.start + Int64(rng.below(Int(shop.end - shop.start - 7 * 86_400)))
        let channel = rng.pick(Self.channelWeights)
        let spellings = Self.channelSpellings[channel]

        // users.csv: user_id,signup_at,channel,country
        var line = SampleBytes(capacity: 64)
        id(&line)
        line.comma()
        let badSignup = rng.chance(5)
        if badSignup {
            line.text("2025-02-30 10:00:00")                    // impossible date: bad_timestamp:signup_at
        } else {
            let form: SampleClock.Form = rng.chance(8500) ? .local : rng.chance(6700) ? .utc : .localSlash
            clock.write(ms: signup * 1000, form, to: &line)
        }
        line.comma()
        line.text(spellings[rng.below(spellings.count)])
        line.comma()
        line.text(Self.countries[rng.below(Self.countries.count)])
        line.newline()
        block.users.bytes += line.bytes
        block.userRows += 1
        if rng.chance(10) {                                      // exported twice: a duplicate
            block.users.bytes += line.bytes
            block.userRows += 1
        }
        if badSignup { return }

        // Sessions, week by week after signup, with decaying odds scaled by the user's engagement.
        let engagement = 30 + rng.below(141)                     // percent
        var events = 0
        var orders = 0
        var week = 0
        while week < Self.decay.count {
            let windowStart = signup + Int64(week) * 604_800
            if windowStart >= shop.end { break }
            let odds = week == 0 ? Self.decay[0] : Self.decay[week] * engagement / 100
            if rng.chance(odds) {
                // The first session follows signup within hours; later ones fall anywhere in their week.
                let start = windowStart + 60 + Int64(rng.below(week == 0 ? 4 * 3600 : 604_800 - 3 * 3600))
                if start < shop.end {
                    var ms = start * 1000 + Int64(1 + rng.below(999))
                    func step(_ seconds: Int) {
                        ms += Int64(seconds) * 1000 + Int64(rng.below(1000))
                        if ms % 1000 == 0 { ms += 1 }                // events never share a whole second with an order
                    }
                    if rng.chance(4000) {
                        emitEvent(u, &events, "search", ms, &rng, &block)
                        step(5 + rng.below(120))
                    }
                    for _ in 0...rng.below(3) {
                        emitEvent(u, &events, "view_item", ms, &rng, &block)
                        step(5 + rng.below(300))
                    }
                    if rng.chance(5500) {
                        emitEvent(u, &events, "add_to_cart", ms, &rng, &block)
                        if rng.chance(8000) {
                            let at = ms / 1000 + 1 + Int64(rng.below(600))
                            emitOrder(u, &orders, at, &rng, &block)
                        }
                    }
                }
            }
            // Orders placed outside tracked sessions (app, phone), about as often as sessions.
            if rng.chance(odds * 9 / 10) {
                let at = windowStart + Int64(rng.below(604_800))
                if at < shop.end { emitOrder(u, &orders, at, &rng, &block) }
            }
            week += 1
        }
    }

    // MARK: - Rows

    /// events.csv: event_id,user_id,event,occurred_at
    private func emitEvent(_ u: Int, _ n: inout Int, _ name: StaticString, _ ms: Int64,
                           _ rng: inout SampleRandom, _ block: inout SampleBlock) {
        guard n < 255 else { return }
        var line = SampleBytes(capacity: 64)
        if !rng.chance(200) {                                    // 2 % carry no id: deduplicated by their tuple
            line.byte(UInt8(ascii: "e"))
            line.int(u * 256 + n, width: 10)
        }
        n += 1
        line.comma()
        userId(u, unknown: rng.chance(2), &line)
        line.comma()
        line.text(name)
        line.comma()
        if rng.chance(2) {
            line.text("2025-13-01T00:00:00Z")                   // bad_timestamp:occurred_at
        } else {
            clock.write(ms: ms, rng.chance(9000) ? .utcMillis : .epochMillis, to: &line)
        }
        line.newline()
        let copies = rng.chance(50) ? 2 : 1                      // 0.5 % exported twice
        for _ in 0..<copies { block.events.bytes += line.bytes }
        block.eventRows += copies
    }

    /// sales_N.csv: order_id,user_id,ordered_at,amount,status,updated_at
    private func emitOrder(_ u: Int, _ n: inout Int, _ at: Int64,
                           _ rng: inout SampleRandom, _ block: inout SampleBlock) {
        guard n < 63 else { return }
        let number = u * 64 + n
        n += 1
        let quantity = rng.chance(8000) ? 1 : 2 + rng.below(3)
        let cents = rng.chance(50) ? Self.bundle : Self.prices[rng.below(Self.prices.count)] * quantity
        let roll = rng.below(10_000)
        let paid = roll < 9700
        let status: StaticString = paid ? "paid" : roll < 9800 ? "Paid" : roll < 9950 ? "cancelled" : "failed"
        let orderedForm: SampleClock.Form = rng.chance(7000) ? .local : rng.chance(5000) ? .offset : rng.chance(6700) ? .epochSeconds : .localSlash
        let updated: Int64? = rng.chance(8000) ? at + 30 + Int64(rng.below(600)) : nil
        let unknown = rng.chance(5)
        let badAmount = rng.chance(3)
        let amountStyle = rng.below(100)
        let line = orderLine(prefix: "SO", number, u, unknown: unknown, at: at, orderedForm,
                             cents: cents, badAmount: badAmount, amountStyle: amountStyle, status: status, updated: updated)
        let q = shop.quarter(of: at)
        let copies = rng.chance(20) ? 2 : 1                      // 0.2 % exported twice, unchanged
        for _ in 0..<copies { block.sales[q].bytes += line.bytes }
        block.salesRows[q] += copies

        // 1.5 % of paid orders are refunded later: the order is exported again, status refunded,
        // with a later updated_at, in the file of that update (SPEC §3.4: the later status wins).
        if paid && rng.chance(150) {
            let refundedAt = at + 2 * 86_400 + Int64(rng.below(8 * 86_400))
            let again = orderLine(prefix: "SO", number, u, unknown: unknown, at: at, orderedForm, cents: cents,
                                  badAmount: badAmount, amountStyle: amountStyle, status: "refunded", updated: refundedAt)
            let later = shop.quarter(of: refundedAt)
            block.sales[later].bytes += again.bytes
            block.salesRows[later] += 1
        }
        // 0.3 % get a partial refund line: a separate negative amount (revenue counts it).
        if rng.chance(30) {
            let lineAt = at + 3 * 86_400
            if lineAt < shop.end {
                let refund = orderLine(prefix: "SR", number, u, unknown: false, at: lineAt, .local, cents: -cents / 2,
                                       badAmount: false, amountStyle: 0, status: "paid", updated: nil)
                let q = shop.quarter(of: lineAt)
                block.sales[q].bytes += refund.bytes
                block.salesRows[q] += 1
            }
        }
    }

    private func orderLine(prefix: StaticString, _ number: Int, _ u: Int, unknown: Bool, at: Int64, _ form: SampleClock.Form,
                           cents: Int, badAmount: Bool, amountStyle: Int, status: StaticString, updated: Int64?) -> SampleBytes {
        var line = SampleBytes(capacity: 96)
        line.text(prefix)
        line.int(number, width: 10)
        line.comma()
        userId(u, unknown: unknown, &line)
        line.comma()
        clock.write(ms: at * 1000, form, to: &line)
        line.comma()
        if badAmount {
            line.text("12.9.0")                                  // bad_number:amount
        } else if amountStyle < 5 {
            line.text("€")
            line.money(cents: cents, grouped: false)
        } else if amountStyle < 10 && cents >= 100_000 {
            line.byte(0x22)                                      // "1,299.00" must be quoted in a CSV
            line.money(cents: cents, grouped: true)
            line.byte(0x22)
        } else {
            line.money(cents: cents, grouped: false)
        }
        line.comma()
        line.text(status)
        line.comma()
        if let updated { clock.write(ms: updated * 1000, number % 3 == 0 ? .utc : .local, to: &line) }
        line.newline()
        return line
    }

    /// A kept user's id, or (rarely) an id no user has: an `unknown_user` reject.
    private func userId(_ u: Int, unknown: Bool, _ out: inout SampleBytes) {
        out.byte(UInt8(ascii: unknown ? "x" : "u"))
        out.int(u + 1, width: shop.idWidth)
    }
}
