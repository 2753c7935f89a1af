import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// SPEC §9 for values from the data and the pipeline file:
/// - **control characters** (ESC, NUL, C1, U+202E …) in channel, campaign, event and pipeline
///   names never reach a report, a CSV or the terminal raw: they are visible escapes (`\u{1B}`),
///   `report.html` parses as XML, and `summary.json` keeps the value (as JSON escapes);
/// - the **formula guard**: every text cell that starts like a formula gets a leading `'`, in
///   the tables and in `rejects/`; a cell that is entirely a plain number does not;
/// - error lines quote at most 200 characters of a value.
@Suite struct HostileValueTests {
    static let esc = "face\u{1B}[31mbook"
    static let nul = "nu\u{0}ll"
    static let rlo = "\u{202E}elgoog"
    static let event = "view\u{1B}it\u{85}em"

    static func controlShop() -> Workspace {
        let ws = Workspace()
        ws.write("data/users.csv", """
            user_id,signup_at,channel
            u1,2025-01-06,\(esc)
            u2,2025-01-06,\(nul)
            u3,2025-01-07,\(rlo)
            u4,bad\u{1B}date,organic

            """)
        ws.write("data/sales.csv", """
            order_id,user_id,ordered_at,amount,status
            o1,u1,2025-01-08,10.00,paid
            o2,u3,2025-01-09,20.00,paid

            """)
        ws.write("data/channels.csv", """
            date,channel,campaign,spend
            2025-01-06,\(esc),camp\u{1B}]0;title\u{7},100
            2025-01-06,\(rlo),\u{202E}nepo,50

            """)
        ws.write("data/events.csv", """
            user_id,event,occurred_at
            u1,\(event),2025-01-07T10:00:00Z
            u3,\(event),2025-01-08T10:00:00Z

            """)
        ws.write("pipelines/shop.json", #"""
            { "version": 1, "name": "shop\u001b[2J\u0000\u202e", "as_of": "2025-01-31",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" }, "events": { "path": "../data/events.csv" } },
              "cleaning": { "max_reject_rate": 1 },
              "funnel": { "steps": ["signup", "view\u001bit\u0085em", "purchase"], "by_channel": true },
              "targets": [ { "metric": "roas.face\u001b[31mbook", "min": 1, "label": "ROAS \u202eof\u0000 facebook" },
                           { "metric": "roi.goo\u202egle", "min": 0 } ],
              "output": { "dir": "../out" } }
            """#)
        return ws
    }

    /// True when `text` holds a scalar SPEC §9 says must not appear raw.
    static func hasRawControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { s in
            let v = s.value
            return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (0x7F...0x9F).contains(v)
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        }
    }

    @Test func controlCharactersAreVisibleEscapesEverywhere() throws {
        let ws = Self.controlShop()
        let result = try ws.run("run", "pipelines/shop.json", "--verbose")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!Self.hasRawControl(result.stderr))

        let html = try #require(ws.read("out/report.html"))
        let parser = XMLParser(data: Data(html.utf8))
        #expect(parser.parse(), "report.html is not well-formed: \(String(describing: parser.parserError))")
        let md = try #require(ws.read("out/report.md"))
        // The Markdown also escapes its own syntax (`[` → `\[`) around the visible escapes.
        for (name, text, bracket) in [("report.html", html, "["), ("report.md", md, "\\[")] {
            #expect(!Self.hasRawControl(text), "\(name) holds a raw control character")
            for shown in [#"face\u{1B}"# + bracket + "31mbook", #"nu\u{0}ll"#, #"\u{202E}elgoog"#,
                          #"shop\u{1B}"# + bracket + #"2J\u{0}\u{202E}"#, #"ROAS \u{202E}of\u{0} facebook"#] {
                #expect(text.contains(shown), "\(name) lacks \(shown)")
            }
        }
        #expect(html.contains(#"view\u{1B}it\u{85}em"#))

        // Every CSV: escaped cells, nothing raw.
        for file in ["channel_roi.csv", "funnel.csv", "goals.csv", "suggestions.csv", "cohort_retention.csv",
                     "data_quality.csv", "rejects/users.csv", "rejects/channels.csv", "rejects/events.csv"] {
            let text = try #require(ws.read("out/\(file)"), "no \(file)")
            #expect(!Self.hasRawControl(text), "\(file) holds a raw control character")
        }
        let roi = try #require(ws.read("out/channel_roi.csv"))
        #expect(roi.contains("\nface\\u{1B}[31mbook,100.00,"))
        #expect(roi.contains("\n\\u{202E}elgoog,50.00,"))
        #expect(roi.contains("\nnu\\u{0}ll,0.00,"))
        let funnel = try #require(ws.read("out/funnel.csv"))
        #expect(funnel.contains("\nall,2,view\\u{1B}it\\u{85}em,2,"))
        #expect(funnel.contains("\nface\\u{1B}[31mbook,1,signup,1,"))
        #expect(ws.read("out/rejects/users.csv") == """
            file,line,reason,user_id,signup_at,channel
            ../data/users.csv,5,bad_timestamp:signup_at,u4,bad\\u{1B}date,organic

            """)

        // summary.json keeps the values exactly (JSON escapes), with nothing raw in the file.
        let summaryText = try #require(ws.read("out/summary.json"))
        #expect(!Self.hasRawControl(summaryText))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(summaryText.utf8)) as? [String: Any])
        let pipeline = summary["pipeline"] as? [String: Any]
        #expect((pipeline?["name"] as? String ?? summary["pipeline"] as? String) == "shop\u{1B}[2J\u{0}\u{202E}")
    }

    /// `validate --data` prints warnings that quote the pipeline and the data: escaped too.
    @Test func validateEscapesWhatItPrints() throws {
        let ws = Self.controlShop()
        let result = try ws.run("validate", "pipelines/shop.json", "--data")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!Self.hasRawControl(result.stdout))
        #expect(!Self.hasRawControl(result.stderr))
        #expect(result.stdout.contains(#"roi.goo\u{202E}gle"#))
    }

    @Test func inspectEscapesWhatItShows() throws {
        let ws = Self.controlShop()
        let result = try ws.run("inspect", "data/users.csv")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!Self.hasRawControl(result.stdout))
        #expect(result.stdout.contains(#"face\u{1B}[31mbook"#))
        #expect(result.stdout.contains(#"\u{202E}elgoog"#))
        #expect(result.stdout.contains(#"bad\u{1B}date"#))
    }

    // MARK: - Formula guard

    static func formulaShop() -> Workspace {
        let ws = Workspace()
        ws.write("data/users.csv", """
            user_id,signup_at,channel
            u1,2025-01-06,"-1+cmd|' /C calc'!A0"
            u2,2025-01-06,＝1+1
            u3,2025-01-07,|x
            u4,2025-01-07,@sum(a1)

            """)
        ws.write("data/sales.csv", """
            order_id,user_id,ordered_at,amount,status
            o1,u1,2025-01-08,10.00,paid
            "-2+3+cmd|' /C calc'!A0",u1,2025-01-08,-1+1,paid
            o3,u2,not-a-date,-3.50,  =1+1
            o4,u3,2025-01-09,+12,－1
            o5,u4,2025-01-09,-3.50,paid

            """)
        ws.write("data/channels.csv", """
            date,channel,spend
            2025-01-06,"-1+cmd|' /C calc'!A0",100

            """)
        ws.write("pipelines/shop.json", """
            { "version": 1, "name": "shop", "as_of": "2025-01-31",
              "inputs": { "users": { "path": "../data/users.csv" }, "sales": { "path": "../data/sales.csv" },
                          "channels": { "path": "../data/channels.csv" } },
              "cleaning": { "max_reject_rate": 1 },
              "output": { "dir": "../out" } }
            """)
        return ws
    }

    @Test func formulaCellsAreGuardedInTablesAndRejects() throws {
        let ws = Self.formulaShop()
        let result = try ws.run("run", "pipelines/shop.json")
        #expect(result.status == 0, "\(result.stderr)")
        // Channels (normalised: lower-cased) are text; the numbers of opsetl, negative ones too, are not guarded.
        let roi = try #require(ws.read("out/channel_roi.csv"))
        #expect(roi.contains("\n'-1+cmd|' /c calc'!a0,100.00,,,1,1,10.00,10.00,-0.900000,0.100000,100.00,100.00,10.00,,,1.000000\n"))
        #expect(roi.contains("\n'＝1+1,0.00,"))
        #expect(roi.contains("\n'|x,0.00,"))
        #expect(roi.contains("\n'@sum(a1),0.00,,,1,0,-3.50,-3.50,"))
        // Raw fields in rejects/ are text: guarded, except a field that is entirely a plain number.
        #expect(ws.read("out/rejects/sales.csv") == """
            file,line,reason,order_id,user_id,ordered_at,amount,status
            ../data/sales.csv,3,bad_number:amount,'-2+3+cmd|' /C calc'!A0,u1,2025-01-08,'-1+1,paid
            ../data/sales.csv,4,bad_timestamp:ordered_at,o3,u2,not-a-date,-3.50,'  =1+1

            """)
        // o4's amount "+12" is a plain number (kept: revenue 12.00); its status "－1" is text nobody writes back.
        #expect(roi.contains("\n'|x,0.00,,,1,1,12.00,12.00,"))
    }

    // MARK: - Error lines

    /// A 10 000-digit number in the pipeline file is quoted as its first 200 characters.
    @Test func errorLinesQuoteAtMost200CharactersOfAValue() throws {
        let ws = Workspace()
        ws.writeShop()
        let digits = String(repeating: "1234567890", count: 1_000)
        let shop = try #require(ws.read("pipelines/shop.json"))
        ws.write("pipelines/long.json", shop.replacingOccurrences(of: #""as_of": "2025-01-31","#,
                                                                  with: #""as_of": "2025-01-31", "retention": { "periods": \#(digits) },"#))
        let number = try ws.run("run", "pipelines/long.json")
        #expect(number.status == 2)
        #expect(number.stderr == "opsetl: error: pipelines/long.json: retention.periods: "
                + String(repeating: "1234567890", count: 20) + "… (9800 more characters) has more than 38 significant digits; "
                + "it cannot be held exactly\n")

        let zone = String(repeating: "Europe/", count: 100)
        ws.write("pipelines/zone.json", shop.replacingOccurrences(of: #""as_of": "2025-01-31","#,
                                                                  with: #""as_of": "2025-01-31", "timezone": "\#(zone)","#))
        let text = try ws.run("run", "pipelines/zone.json")
        #expect(text.status == 2)
        #expect(text.stderr.hasPrefix("opsetl: error: pipelines/zone.json: timezone: \""
                + String(zone.prefix(200)) + "\"… (500 more characters) is not a known IANA time zone"))
        #expect(text.stderr.count < 600)
    }
}
