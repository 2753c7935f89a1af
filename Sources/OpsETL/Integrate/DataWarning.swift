import Foundation

/// Integrate: the warnings of SPEC §9 — settings that matched nothing in the data, found by
/// comparing the pipeline with the integrated data, each with the nearest names that exist.
///
/// Input: the pipeline, the integrated data, the quality ledger and the alias keys the cleaners
/// met; output: the warnings in pipeline order (funnel steps, retention activity, targets,
/// aliases, then sales). A warning never changes a number or the exit code: it only says why a
/// number may be a silent zero (a funnel step `add_to_card`, a goal on `roi.totl`). The words are
/// the report's (`WarningWording`), in the run's language.
public struct DataWarning: Sendable, Equatable {
    public enum Code: String, Sendable, CaseIterable {
        /// A funnel step or activity event name that no event carries.
        case unknownEvent = "unknown_event"
        /// A target's channel that no ROI row has.
        case unknownChannel = "unknown_channel"
        /// An alias key that matched no channel.
        case unusedAlias = "unused_alias"
        /// No kept sale has an amount above 0, so the sales make no `purchase` event.
        case noPurchases = "no_purchases"
    }

    public enum Subject: Sendable, Equatable {
        /// `setting` is `funnel.steps[2]` or `retention.activity[0]`.
        case unknownEvent(setting: String, name: String)
        /// `setting` is `targets[1].metric`; `channel` as the data would name it (normalised, aliased).
        case unknownChannel(setting: String, metric: String, channel: String)
        /// `setting` is `cleaning.channel_aliases.fb`; `key` normalised like a channel.
        case unusedAlias(setting: String, key: String)
        /// `keptSales`: kept, non-excluded sales of kept users (0: none was kept).
        case noPurchases(keptSales: Int)
    }

    public let subject: Subject
    /// The closest names that exist (did you mean …?), best first; may be empty.
    public let nearest: [String]
    /// The names that do exist, in byte order (shown when none is close).
    public let known: [String]

    public var code: Code {
        switch subject {
        case .unknownEvent: .unknownEvent
        case .unknownChannel: .unknownChannel
        case .unusedAlias: .unusedAlias
        case .noPurchases: .noPurchases
        }
    }

    /// Every warning of this run. `usedAliasKeys` are the normalised alias keys the cleaners met
    /// (`ChannelNormalizer.usedAliasKeys`).
    public static func find(pipeline: Pipeline, data: IntegratedData, usedAliasKeys: Set<String>) -> [DataWarning] {
        find(pipeline: pipeline, facts: DataFacts(data), usedAliasKeys: usedAliasKeys)
    }

    /// The same from the facts the warnings rest on (merged over the partitions of a partitioned run).
    public static func find(pipeline: Pipeline, facts: DataFacts, usedAliasKeys: Set<String>) -> [DataWarning] {
        var out: [DataWarning] = []

        // SPEC §3.5: `signup` and `purchase` are built in (made from the users and sales files), so
        // they are never unknown; when there is no purchase at all, `no_purchases` says why.
        let builtIn = ["signup", "purchase"]
        let eventNames = facts.eventNames
        let candidates = builtIn + eventNames.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let exists = Set(builtIn + eventNames)
        var eventSettings: [(String, [String])] = []
        if let funnel = pipeline.funnel { eventSettings.append(("funnel.steps", funnel.steps)) }
        eventSettings.append(("retention.activity", pipeline.retention.activity))
        // `trends.activity` defaults to `retention.activity`; a name is warned about once, where it is written.
        if pipeline.trends.activity != pipeline.retention.activity {
            eventSettings.append(("trends.activity", pipeline.trends.activity))
        }
        for (key, names) in eventSettings {
            for (i, name) in names.enumerated() where !exists.contains(name) {
                out.append(DataWarning(subject: .unknownEvent(setting: "\(key)[\(i)]", name: name),
                                       nearest: nearest(name, among: candidates), known: candidates))
            }
        }

        // SPEC §4.3: the ROI rows are the channels with spend in range or a signup in range;
        // a target naming another channel is no_data. Aliases are checked against every channel seen.
        let (roiChannels, allChannels) = (facts.roiChannels, facts.allChannels)
        let roiNames = roiChannels.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } + [ROIResult.total, ROIResult.totalPaid]
        let targetChannels = ChannelNormalizer(aliases: pipeline.cleaning.channelAliases)   // records nothing the data sees
        for (i, target) in pipeline.targets.enumerated() {
            guard let metric = MetricName(target.metric) else { continue }
            let written: MetricChannel
            switch metric {
            case .roi(let c), .roas(let c), .cac(let c): written = c
            default: continue
            }
            guard case .channel(let raw) = written else { continue }
            let channel = targetChannels.normalize(raw)
            guard !roiChannels.contains(channel) else { continue }
            out.append(DataWarning(subject: .unknownChannel(setting: "targets[\(i)].metric", metric: target.metric, channel: channel),
                                   nearest: nearest(channel, among: roiNames), known: roiNames))
        }

        let allNames = allChannels.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for key in pipeline.cleaning.channelAliases.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let normalized = ChannelNormalizer.normalizedKey(key)
            guard !usedAliasKeys.contains(normalized) else { continue }
            let setting = PipelineJSON.Path.root.appending("cleaning").appending("channel_aliases").appending(key).description
            out.append(DataWarning(subject: .unusedAlias(setting: setting, key: normalized),
                                   nearest: nearest(normalized, among: allNames), known: allNames))
        }

        // SPEC §3.5: only sales with amount > 0 are purchases. Stops at the first one.
        if !facts.anyPurchase {
            out.append(DataWarning(subject: .noPurchases(keptSales: facts.keptSales), nearest: [], known: []))
        }
        return out
    }

    /// Up to three names within the typo distance of `PipelineJSON.Spelling` (case-insensitive
    /// optimal string alignment ≤ 2 and under half the length), closest first, then byte order.
    static func nearest(_ name: String, among candidates: [String]) -> [String] {
        let w = Array(name.lowercased().unicodeScalars)
        let scored = candidates.compactMap { c -> (String, Int)? in
            guard c != name else { return nil }
            let d = PipelineJSON.Spelling.distance(w, Array(c.lowercased().unicodeScalars))
            return d <= 2 && d * 2 < max(w.count, 1) ? (c, d) : nil
        }
        return scored.sorted { a, b in a.1 != b.1 ? a.1 < b.1 : a.0.utf8.lexicographicallyPrecedes(b.0.utf8) }.prefix(3).map(\.0)
    }
}

/// Integrate: what the warnings of SPEC §9 read from the data — the event names that exist, the
/// channels, the kept sales — as a value that merges exactly, so a partitioned run (each user
/// partition's facts, and the spend's) warns exactly as `run` does.
public struct DataFacts: Sendable, Equatable {
    /// Names of kept events of kept users (`signup` and `purchase` excluded), in byte order.
    public private(set) var eventNames: [String] = []
    /// SPEC §4.3: channels with spend dated in range or a signup in range.
    public private(set) var roiChannels: Set<String> = []
    /// Every channel of a kept user or spend row.
    public private(set) var allChannels: Set<String> = []
    /// Kept, non-excluded sales of kept users; whether any has an amount above 0.
    public private(set) var keptSales = 0
    public private(set) var anyPurchase = false

    init(eventNames: [String], roiChannels: Set<String>, allChannels: Set<String>, keptSales: Int, anyPurchase: Bool) {
        self.eventNames = eventNames
        self.roiChannels = roiChannels
        self.allChannels = allChannels
        self.keptSales = keptSales
        self.anyPurchase = anyPurchase
    }

    public init(_ data: IntegratedData) {
        eventNames = Self.byteOrder(Array(data.stream.names.dropFirst(2)))
        func inRange(_ d: LocalDate) -> Bool { d >= data.since && d <= data.asOf }
        for row in data.spend {
            allChannels.insert(row.channel)
            if inRange(row.date) { roiChannels.insert(row.channel) }
        }
        // A shop has a handful of channels: they are looked up in a short list (a compare of two
        // short strings each) instead of hashing every user's (issue 15: 0.25 s on one core for
        // 2 M users); past 32 distinct names the sets take over.
        var few: [(name: String, inRange: Bool)] = []
        users: for user in data.users {
            let r = inRange(user.signupDate)
            if few.count < 32 {
                for i in few.indices where few[i].name == user.channel {
                    if r { few[i].inRange = true }
                    continue users
                }
                few.append((user.channel, r))
            } else {
                allChannels.insert(user.channel)
                if r { roiChannels.insert(user.channel) }
            }
        }
        for f in few {
            allChannels.insert(f.name)
            if f.inRange { roiChannels.insert(f.name) }
        }
        keptSales = data.sales.count
        anyPurchase = data.sales.contains { $0.amount > 0 }
    }

    /// The spend side alone (the spend rows of a partitioned run, which no user partition holds).
    public init(spend: [SpendRow], since: LocalDate, asOf: LocalDate) {
        for row in spend {
            allChannels.insert(row.channel)
            if row.date >= since && row.date <= asOf { roiChannels.insert(row.channel) }
        }
    }

    /// Facts of other users (or the spend): sets unite, counts add.
    public mutating func merge(_ other: DataFacts) {
        var seen = Set(eventNames.map { Array($0.utf8) })
        var names = eventNames
        for n in other.eventNames where seen.insert(Array(n.utf8)).inserted { names.append(n) }
        eventNames = Self.byteOrder(names)
        roiChannels.formUnion(other.roiChannels)
        allChannels.formUnion(other.allChannels)
        keptSales += other.keptSales
        anyPurchase = anyPurchase || other.anyPurchase
    }

    private static func byteOrder(_ names: [String]) -> [String] {
        names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
