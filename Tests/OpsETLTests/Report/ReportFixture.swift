import Foundation
@testable import OpsETL

/// A tiny shop whose channel, event and label values are hostile markup, run through the whole
/// job so the report tests read real `report.html` / `report.md` files.
struct ReportFixture {
    static let hostileChannel = "<img src=x onerror=alert(1)>"
    static let hostileEvent = "<script>alert(2)</script>"

    let fixture = PipelineFixture()

    init(funnel: Bool = true) {
        let d = fixture.dir
        _ = d.write("users.csv", """
            user_id,signup_at,channel
            u1,2025-01-06,\(Self.hostileChannel)
            u2,2025-01-06,\(Self.hostileChannel)
            u3,2025-01-07,google
            u4,2025-01-08,google
            u5,not-a-date,google

            """)
        _ = d.write("channels.csv", """
            date,channel,spend
            2025-01-06,\(Self.hostileChannel),100
            2025-01-06,google,50

            """)
        _ = d.write("sales.csv", """
            order_id,user_id,ordered_at,amount,status
            o1,u1,2025-01-06T10:00:00,10.00,paid
            o2,u3,2025-01-14T10:00:00,300.00,paid
            o3,u4,2025-01-15,20.00,paid

            """)
        if funnel {
            _ = d.write("events.csv", """
                user_id,event,occurred_at
                u1,\(Self.hostileEvent),2025-01-06T09:00:00
                u3,\(Self.hostileEvent),2025-01-07T09:00:00

                """)
        }
    }

    func json(language: String = "en", funnel: Bool = true) -> String {
        """
        {
          "version": 1, "name": "hostile <b>shop</b>", "timezone": "UTC", "since": "2025-01-01", "as_of": "2025-01-31",
          "currency": "EUR", "language": "\(language)",
          "inputs": {
            "users": { "path": "users.csv" }, "sales": { "path": "sales.csv" }, "channels": { "path": "channels.csv" }
            \(funnel ? #", "events": { "path": "events.csv" }"# : "")
          },
          "cleaning": { "max_reject_rate": 1 },
          "retention": { "period": "week", "periods": 2 },
          \(funnel ? #""funnel": { "steps": ["signup", "\#(Self.hostileEvent)", "purchase"], "window_days": 14 },"# : "")
          "targets": [
            { "metric": "roi.total", "min": 100, "label": "<i>ROI</i> | *bold* [x](y)" },
            { "metric": "roas.\(Self.hostileChannel)", "min": 0.5 },
            { "metric": "signups.total", "min": 1 }
          ],
          "output": { "dir": "out/{as_of}" }
        }
        """
    }

    /// Runs the job and returns (report.html, report.md).
    func run(language: String = "en", funnel: Bool = true) throws -> (html: String, md: String, dir: String) {
        let outcome = try fixture.job(json(language: language, funnel: funnel)).run()
        let dir = outcome.outputDirectory
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        return (html, md, dir)
    }
}
