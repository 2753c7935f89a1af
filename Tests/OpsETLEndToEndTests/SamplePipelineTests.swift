import Foundation
import Testing

/// Runs the committed sample pipeline end to end and checks its numbers against figures
/// derived independently from the generator's own records (`scripts/make_sample_data.py --check`,
/// listed in sample-data/README.md), not against opsetl's own output. Every literal figure below
/// was re-derived from `--check`'s output for the 16-month sample (2024-03-01 … 2025-07-03,
/// since 2024-04-01, as_of 2025-06-30): its data_quality table, its reference retention, funnel
/// and ROI tables, its weekly KPIs of segment `all`, the changes of the latest complete week and
/// the two time-bound goals; the rest is recomputed here from opsetl's other tables.
@Suite struct SamplePipelineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func sampleRunMatchesIndependentlyComputedFigures() throws {
        let ws = Workspace()
        let result = try ws.run("run", Self.root.appendingPathComponent("pipelines/sample.json").path, "--output", "out")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.read("out/data_quality.csv") == """
            input,rows_read,rows_kept,rejected,duplicates,after_as_of,excluded_status,unknown_user_ignored,reject_rate
            users,2486,2472,7,5,2,0,0,0.002816
            sales,9569,8675,16,150,186,542,0,0.001672
            channels,4679,4653,4,2,20,0,0,0.000855
            events,58620,58593,13,11,3,0,0,0.000222

            """)
        let summary = try #require(ws.read("out/summary.json"))
        // --check: retention 774/2348 and 182/1979; funnel 716/2418; ROI and CAC from its ROI table.
        for (metric, value) in [("retention.p1", "0.329642"), ("retention.p8", "0.091966"), ("funnel.conversion", "0.296112"),
                                ("roi.total", "2.359058"), ("roas.google", "7.301912"), ("roas.total_paid", "3.943386"),
                                ("roi.tiktok", "-0.349314"), ("cac.total", "126.21")] {
            #expect(summary.contains("\"\(metric)\": \(value)"), "\(metric)")
        }
        let funnel = try #require(ws.read("out/funnel.csv")).split(separator: "\n")
        #expect(funnel[0] == "segment,step,name,users,conversion_from_previous,conversion_from_first,drop_off,median_seconds_from_previous")
        #expect(funnel.filter { $0.hasPrefix("all,") }.map { $0.split(separator: ",")[3] } == ["2418", "2225", "1642", "1231", "716"])
        // tiktok: 19 of 74 at step 4 (0.256757), 19 of 620 entrants (0.030645).
        #expect(funnel.contains { $0.hasPrefix("tiktok,5,purchase,19,0.256757,0.030645,") })
        let roi = try #require(ws.read("out/channel_roi.csv")).split(separator: "\n")
        #expect(roi[0] == "channel,spend,impressions,clicks,signups,paying_users,revenue,gross_profit,roi,roas,cpa,cac,arpu,ctr,signup_rate,pay_rate")
        #expect(roi.map { $0.split(separator: ",")[0] } == ["channel", "facebook", "google", "tiktok", "wechat", "email", "organic", "unknown", "total", "total_paid"])
        #expect(ws.read("out/cohort_retention.csv")?.hasPrefix("cohort,cohort_size,period,active_users,retention_rate,revenue,partial\n") == true)
        #expect(ws.read("out/cohort_retention_matrix.csv")?.hasPrefix("cohort,cohort_size,p0,p1,p2,p3,p4,p5,p6,p7,p8\n") == true)
    }

    /// Goals and suggestions of the sample. Targets are checked against the independently computed
    /// metrics above; each impact is recomputed here from `channel_roi.csv` and `funnel.csv`.
    @Test func sampleGoalsAndSuggestions() throws {
        let ws = Workspace()
        let result = try ws.run("run", Self.root.appendingPathComponent("pipelines/sample.json").path, "--output", "out")
        #expect(result.status == 0, "\(result.stderr)")
        // --check's figures: 0.329642 − 0.25, 2.359058 − 0.5, 126.21 − 80.
        let goals = try #require(ws.read("out/goals.csv")).split(separator: "\n").map(Self.csvFields)
        #expect(goals[0] == ["metric", "label", "kind", "target", "actual", "status", "gap", "baseline", "start", "deadline", "projected"])
        #expect(goals[1] == ["retention.p1", "Week-1 retention", "min", "0.250000", "0.329642", "met", "0.079642", "", "", "", ""])
        #expect(goals[2] == ["roi.total", "", "min", "0.500000", "2.359058", "met", "1.859058", "", "", "", ""])
        #expect(goals[3] == ["cac.total", "", "max", "80.00", "126.21", "missed", "46.21", "", "", "", ""])
        // The time-bound goals (SPEC §6), as --check evaluates them: actual = the latest complete week
        // (2025-06-23); baseline = the week before the start's week (2025-03-31): 54 signups and
        // ¥35,998.10; targets 54 + 15 = 69 and 35,998.10 × 1.6 = 57,596.96; the exact least-squares
        // line through the 12 complete weeks 2025-04-07 … 2025-06-23 gives 74.941725 signups at the
        // week of 2025-08-31 (≥ 69: on track; a count, so written 75) and ¥51,725.80 at the week of
        // 2025-07-31 (< 57,596.96: behind).
        #expect(goals[4] == ["trend.signups", "Weekly signups 15 above the week of 31 March by the end of August", "min", "69", "62",
                             "on_track", "-7", "54", "2025-04-07", "2025-08-31", "75"])
        #expect(goals[5] == ["trend.revenue", "Weekly revenue +60% over the week of 31 March by the end of July", "min", "57596.96",
                             "49750.90", "behind", "-7846.06", "35998.10", "2025-04-07", "2025-07-31", "51725.80"])
        let trends = try #require(ws.read("out/trends.csv")).split(separator: "\n").map(Self.csvFields)
        let latest = try #require(trends.first { $0[0] == "all" && $0[1] == "2025-06-23" })
        let kpi = { (name: String) in latest[trends[0].firstIndex(of: name)!] }
        let dec = { (s: String) in Decimal(string: s)! }
        // --check's weekly KPIs of `all`: the latest complete week and the partial week of as_of
        // (one day, 2025-06-30: 58 buyers that day, so stickiness 58 / 1 / 58 = 1).
        #expect(latest == ["all", "2025-06-23", "false", "62", "2464", "201", "201", "42", "255", "49750.90", "4690.00",
                           "195.10", "247.52", "10.607868", "0.174840"])
        #expect(trends.first { $0[0] == "all" && $0[1] == "2025-06-30" } == ["all", "2025-06-30", "true", "8", "2472", "58", "58", "8",
                                                                              "66", "9181.40", "639.75", "139.11", "158.30", "14.351544", "1.000000"])
        #expect(trends.filter { $0[0] == "all" }.map { $0[1] }.first == "2025-04-14" && trends.filter { $0[0] == "all" }.count == 12)

        let rows = try #require(ws.read("out/suggestions.csv")).split(separator: "\n").map(String.init)
        #expect(rows[0] == "rank,priority,rule,channel,step,cohort,finding,recommendation,estimated_impact,impact_unit,impact_value")
        let cells = rows.dropFirst().map(Self.csvFields)
        // SPEC §6: priority, then impact_value (money) descending.
        #expect(cells.map { [$0[0], $0[1], $0[2], $0[3], $0[4]] } == [
            ["1", "high", "goal.missed", "", ""],
            ["2", "high", "roi.cut", "tiktok", ""],
            ["3", "high", "goal.behind", "", ""],
            ["4", "medium", "roi.scale", "google", ""],
            ["5", "medium", "funnel.bottleneck", "", "5"],
            ["6", "medium", "funnel.channel_gap", "tiktok", "4"],
        ])
        let roi = try #require(ws.read("out/channel_roi.csv")).split(separator: "\n").map(Self.csvFields)
        let col = { (name: String) in roi[0].firstIndex(of: name)! }
        let tiktok = try #require(roi.first { $0[0] == "tiktok" }), google = try #require(roi.first { $0[0] == "google" })
        let total = try #require(roi.first { $0[0] == "total" })
        // goal.missed on CAC: the spend to save at today's paying users, spend − 80 × paying users (a total, not ¥43.12).
        #expect(cells[0][8] == FixedPointText.money(dec(total[col("spend")]) - 80 * dec(total[col("paying_users")])))
        #expect(cells[0][9] == "CNY" && cells[0][10] == cells[0][8])
        // roi.cut: spend − gross profit; its campaigns are named.
        #expect(cells[1][8] == FixedPointText.money(dec(tiktok[col("spend")]) - dec(tiktok[col("gross_profit")])))
        #expect(cells[1][9] == "CNY" && cells[1][7].contains("TT_Conversions"))
        // goal.behind: target − projection, in money (to the cent of the rounded columns).
        #expect(abs(dec(cells[2][8]) - (dec(goals[5][3]) - dec(goals[5][10]))) <= dec("0.01") && cells[2][9] == "CNY")
        // roi.scale: 20 % of tiktok's spend at (ROAS google − ROAS tiktok), ROAS = revenue / spend;
        // --check: google's ROAS 7.301912, 20 % of tiktok's ¥42,200.88 = ¥8,440.18.
        let moved = dec("0.2") * dec(tiktok[col("spend")])
        let delta = dec(google[col("revenue")]) / dec(google[col("spend")]) - dec(tiktok[col("revenue")]) / dec(tiktok[col("spend")])
        #expect(cells[3][8] == FixedPointText.money(moved * delta))
        #expect(cells[3][6].contains("ROAS of 7.30") && cells[3][7].contains("Move 20% of tiktok's spend over the period analysed (¥8,440.18) to google"))
        // funnel.bottleneck: step 5 of all converts 716 / 1231 (--check); google's step 5 rate
        // (218 / 326 in --check) from funnel.csv; valued at the ARPU of all users (revenue / signups of the total row).
        let funnel = try #require(ws.read("out/funnel.csv")).split(separator: "\n").map(Self.csvFields)
        let g4 = try #require(funnel.first { $0[0] == "google" && $0[1] == "4" }), g5 = try #require(funnel.first { $0[0] == "google" && $0[1] == "5" })
        #expect(g4[3] == "326" && g5[3] == "218")
        let best = dec(g5[3]) / dec(g4[3])
        let bottleneckUsers = dec("1231") * best - dec("716")
        #expect(cells[4][8] == FixedPointText.whole(bottleneckUsers) && cells[4][9] == "users")
        #expect(cells[4][10] == FixedPointText.money(bottleneckUsers * dec(total[col("revenue")]) / dec(total[col("signups")])))
        // funnel.channel_gap: tiktok 620 entrants × (716 / 2418) − 19 = 164.59… → 165, at tiktok's ARPU.
        let gapUsers = dec("620") * dec("716") / dec("2418") - 19
        #expect(cells[5][8] == "165" && cells[5][9] == "users")
        #expect(cells[5][10] == FixedPointText.money(gapUsers * dec(tiktok[col("revenue")]) / dec(tiktok[col("signups")])))
        // Repeated step names are told apart by their number.
        #expect(cells[4][6].contains("step 5 (purchase)") && cells[4][6].contains("step 4 (purchase)"))
        // The new tables, with their exact headers. The sample has 16 months: every KPI of `all` has
        // a year-ago week (2024-06-24); --check: 62 signups against 66 the week before (−4,
        // −0.060606) and 20 a year earlier ((62 − 20) / 20 = 2.1).
        #expect(trends[0].joined(separator: ",") == "segment,period,partial,signups,total_users,active_users,paying_users,new_paying_users,orders,revenue,spend,aov,arppu,roas,stickiness")
        let changes = try #require(ws.read("out/kpi_changes.csv")).split(separator: "\n").map(Self.csvFields)
        #expect(changes[1] == ["all", "signups", "2025-06-23", kpi("signups"), "2025-06-16",
                               try #require(trends.first { $0[0] == "all" && $0[1] == "2025-06-16" })[3],
                               "-4", "-0.060606", "2024-06-24", "20", "2.100000"])
        // --check: revenue ¥49,750.90 against ¥50,747.30 and ¥15,414.90 a year earlier.
        #expect(changes.first { $0[0] == "all" && $0[1] == "revenue" } == ["all", "revenue", "2025-06-23", "49750.90", "2025-06-16", "50747.30",
                                                                            "-996.40", "-0.019635", "2024-06-24", "15414.90", "2.227455"])
        #expect(changes.filter { $0[0] == "all" }.allSatisfy { $0.count == 11 && $0[9] != "" && $0[10] != "" })
        #expect(ws.read("out/user_lifecycle.csv")?.hasPrefix("period,partial,new,returning,resurrecting,dormant\n2025-04-14,false,") == true)
        #expect(trends.contains { $0[0] == "country:China" })
        // Every placeholder of the wording is filled.
        #expect(!rows.contains { $0.contains("{") || $0.contains("}") })
        for file in ["report.md", "report.html"] { #expect(ws.exists("out/\(file)"), "\(file)") }
        #expect(ws.read("out/summary.json")?.contains("\"rule\": \"roi.cut\"") == true)
    }

    @Test func chineseSampleWritesTheChineseReport() throws {
        let ws = Workspace()
        let result = try ws.run("run", Self.root.appendingPathComponent("pipelines/sample-zh.json").path, "--output", "out")
        #expect(result.status == 0, "\(result.stderr)")
        let html = try #require(ws.read("out/report.html"))
        for word in ["运营复盘报告", "目标设定", "目标达成", "未达成", "数据分析与反馈", "优化建议", "同期群留存率", "转化率", "流失",
                     "投入产出比", "广告支出回报率", "获客成本", "渠道"] {
            #expect(html.contains(word), "\(word)")
        }
        // A target naming "Google Ads" is read through the channel aliases (→ google, ROAS 7.301912 in --check's ROI table).
        #expect(ws.read("out/goals.csv")?.contains("roas.Google Ads,谷歌广告 ROAS,min,5.000000,7.301912,met,2.301912") == true)
        #expect(ws.read("out/suggestions.csv")?.contains("削减 tiktok 的支出") == true)
        #expect(ws.read("out/suggestions.csv")?.contains("{") == false)
        #expect(ws.read("out/goals.csv")?.contains(",behind,") == true && html.contains("落后于计划") && html.contains("按计划进行"))
    }

    /// Minimal RFC 4180 field splitter for reading the tables back.
    static func csvFields<S: StringProtocol>(_ line: S) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        let it = Array(line)
        var i = 0
        while i < it.count {
            let c = it[i]
            if quoted {
                if c == "\"" { if i + 1 < it.count && it[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false } }
                else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { fields.append(field); field = "" }
            else { field.append(c) }
            i += 1
        }
        fields.append(field)
        return fields
    }

    @Test func formatsChooseTheTablesButQualityIsAlwaysWritten() throws {
        let ws = Workspace()
        ws.writeShop()
        ws.write("pipelines/json-only.json", """
            { "version": 1, "as_of": "2025-01-31",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" } },
              "output": { "dir": "../out", "formats": ["json"] } }
            """)
        let result = try ws.run("run", "pipelines/json-only.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ws.exists("out/summary.json"))
        #expect(ws.exists("out/data_quality.csv"))
        #expect(ws.exists("out/rejects/users.csv"))
        #expect(!ws.exists("out/channel_roi.csv"))
        #expect(!ws.exists("out/funnel.csv"))
        #expect(!ws.exists("out/report.html") && !ws.exists("out/report.md") && !ws.exists("out/goals.csv"))
    }

    @Test func aRerunReplacesTheWholeFolderAtomically() throws {
        let ws = Workspace()
        ws.writeShop()
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        ws.write("reports/shop-2025-01-31/stale.txt", "from an older run")
        #expect(try ws.run("run", "pipelines/shop.json").status == 0)
        #expect(!ws.exists("reports/shop-2025-01-31/stale.txt"))
        #expect(ws.exists("reports/shop-2025-01-31/channel_roi.csv"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws.url.appendingPathComponent("reports").path)
        #expect(leftovers.sorted() == [".shop-2025-01-31.lock", "shop-2025-01-31"])   // the hidden run lock stays (OutputLock)
    }
}

/// Decimal → text as the CSVs write it, for recomputed expectations (half away from zero).
enum FixedPointText {
    static func money(_ v: Decimal) -> String { rounded(v, 2) }
    static func whole(_ v: Decimal) -> String { rounded(v, 0) }
    static func rounded(_ v: Decimal, _ places: Int) -> String {
        var source = v, out = Decimal()
        NSDecimalRound(&out, &source, places, .plain)
        let f = NumberFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.minimumFractionDigits = places
        f.maximumFractionDigits = places
        f.usesGroupingSeparator = false
        return f.string(from: out as NSDecimalNumber)!
    }
}
