/// Sample: the `pipeline.json` written beside the generated exports (paths relative to it).
enum SamplePipelineFile {
    static func text(users: Int) -> String {
        """
        {
          "version": 1,
          "name": "sample-\(users)",
          "timezone": "\(SampleShop.zoneName)",
          "since": "2025-01-01",
          "as_of": "2025-12-31",
          "currency": "EUR",
          "inputs": {
            "users":    { "path": "users.csv" },
            "sales":    { "path": "sales_*.csv" },
            "channels": { "path": "channel_spend.csv" },
            "events":   { "path": "events.csv" }
          },
          "cleaning": {
            "channel_aliases": { "fb": "facebook", "Facebook Ads": "facebook", "Google Ads": "google",
                                 "TikTok Ads": "tiktok", "newsletter": "email", "(direct)": "organic" },
            "exclude_statuses": ["refunded", "cancelled", "canceled", "failed"],
            "unknown_users": "reject",
            "max_reject_rate": 0.05
          },
          "retention": { "cohort_by": "signup", "period": "week", "periods": 8, "week_start": "monday", "activity": ["purchase"] },
          "funnel": { "steps": ["signup", "view_item", "add_to_cart", "purchase", "purchase"], "window_days": 14, "by_channel": true },
          "roi": { "revenue_window_days": 90, "gross_margin": 0.6 },
          "targets": [
            { "metric": "retention.p1", "min": 0.25, "label": "Week-1 retention" },
            { "metric": "roi.total", "min": 0.5 },
            { "metric": "cac.total", "max": 80 }
          ],
          "suggestions": { "min_spend_share": 0.05, "reallocate_fraction": 0.2 },
          "output": { "dir": "reports/{as_of}" }
        }

        """
    }
}
