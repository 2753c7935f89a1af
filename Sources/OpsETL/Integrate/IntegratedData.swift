/// Integrate: the cleaned, deduplicated, cross-checked data every analysis reads (SPEC §3.4–§3.5).
///
/// Immutable and `Sendable`, so the analyses can share it across threads without locks.
public struct IntegratedData: Sendable {
    /// A kept user; its index in `users` is its dense user index.
    public struct User: Sendable, Equatable {
        public var id: String
        public var signupAt: Instant
        public var signupDate: LocalDate
        public var channel: String
        public var country: String?
    }

    /// A kept, non-excluded sale (revenue counts it, negative refund lines included).
    public struct Sale: Sendable, Equatable {
        public var user: Int32
        public var orderedAt: Instant
        public var orderedDate: LocalDate
        /// In 1/10 000 of the currency unit.
        public var amount: Int64
    }

    public let zone: ZoneRules
    /// First and last local dates analysed (resolved defaults included).
    public let since: LocalDate
    public let asOf: LocalDate
    public let users: [User]
    public let sales: [Sale]
    /// The same sales grouped by user (built once, shared by the analyses).
    public let salesByUser: SalesByUser
    public let spend: [SpendRow]
    public let stream: EventStream
    /// Whether an events input was configured.
    public let hasEventsInput: Bool
    /// Whether a channels (spend) input was configured; without one, spend is null, not 0 (SPEC §3.1).
    public let hasSpendInput: Bool

    init(zone: ZoneRules, since: LocalDate, asOf: LocalDate, users: [User], sales: [Sale],
         spend: [SpendRow], stream: EventStream, hasEventsInput: Bool, hasSpendInput: Bool = true) {
        self.zone = zone
        self.since = since
        self.asOf = asOf
        self.users = users
        self.sales = sales
        salesByUser = SalesByUser(sales, userCount: users.count)
        self.spend = spend
        self.stream = stream
        self.hasEventsInput = hasEventsInput
        self.hasSpendInput = hasSpendInput
    }

    /// With the sales already grouped by user: `sales` is then that grouped array (user by user,
    /// input order within a user), shared with `salesByUser` rather than copied.
    init(zone: ZoneRules, since: LocalDate, asOf: LocalDate, users: [User], salesByUser: SalesByUser,
         spend: [SpendRow], stream: EventStream, hasEventsInput: Bool, hasSpendInput: Bool = true) {
        self.zone = zone
        self.since = since
        self.asOf = asOf
        self.users = users
        self.sales = salesByUser.sales
        self.salesByUser = salesByUser
        self.spend = spend
        self.stream = stream
        self.hasEventsInput = hasEventsInput
        self.hasSpendInput = hasSpendInput
    }
}

/// Integrate: everything about the inputs the outputs must account for.
public struct QualityReport: Sendable {
    /// In input order (users, sales, channels, events); events only when configured.
    public let inputs: [InputQuality]
    /// All rejects of each input, sorted by file then line.
    public let rejects: [InputKind: [RejectedRow]]
    /// Header of each input (for `rejects/<input>.csv`).
    public let headers: [InputKind: [String]]
    /// Files of each input, in read order.
    public let files: [InputKind: [InputFileSet.File]]
    /// Kept sales with an amount of 0 or less: they count in revenue but make no `purchase`
    /// (SPEC §3.5), so the report's data-quality section counts them.
    public var nonPositiveSales: Int = 0
}
