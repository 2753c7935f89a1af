-- The opsetl job of a generated sample shop (`opsetl sample`), written as plain DuckDB SQL:
-- what an analyst would write instead of running opsetl. It follows /work/shared/SPEC.md
-- for the pipeline that `opsetl sample` writes (Europe/Berlin, 2025-01-01 … 2025-12-31,
-- weekly retention of purchases over 8 periods, the 5-step funnel with a 14-day window by
-- channel, ROI with a 90-day revenue window). {data} is replaced by the data folder.
-- The tables end in exact integers and decimals; bench/duckdb_job.py only formats them.
SET TimeZone = 'UTC';

-- SPEC §3.3 timestamps, the forms the generator writes: epochs (10 / 13 digits), values with
-- `Z` or `±HH:MM`, and naive local times (`-` or `/` dates) read in the pipeline's zone.
CREATE MACRO parse_ts(s) AS CASE
    WHEN regexp_full_match(s, '[0-9]{10}') THEN to_timestamp(s::BIGINT)
    WHEN regexp_full_match(s, '[0-9]{13}') THEN make_timestamptz(s::BIGINT * 1000)
    WHEN regexp_matches(s, '(Z|[+-][0-9]{2}:[0-9]{2})$') THEN try_cast(s AS TIMESTAMPTZ)
    ELSE timezone('Europe/Berlin', try_cast(replace(s, '/', '-') AS TIMESTAMP))
  END;
CREATE MACRO local_date(t) AS CAST(timezone('Europe/Berlin', t) AS DATE);
-- SPEC §3.3 money: optional € symbol, `,` grouping, at most 4 decimals, exact.
CREATE MACRO parse_money(s) AS try_cast(replace(replace(s, '€', ''), ',', '') AS DECIMAL(18, 4));
-- SPEC §3.3 channels: trimmed, whitespace collapsed, lower-cased, then the pipeline's aliases.
CREATE MACRO norm_channel(c) AS CASE
    WHEN c IS NULL OR trim(c) = '' THEN 'unknown'
    ELSE (SELECT coalesce(
        CASE n WHEN 'fb' THEN 'facebook' WHEN 'facebook ads' THEN 'facebook' WHEN 'google ads' THEN 'google'
               WHEN 'tiktok ads' THEN 'tiktok' WHEN 'newsletter' THEN 'email' WHEN '(direct)' THEN 'organic' END, n)
          FROM (SELECT lower(regexp_replace(trim(c), '\s+', ' ', 'g')) AS n))
  END;
-- Weeks start on Monday: 1969-12-29 was one.
CREATE MACRO week_no(d) AS CAST(floor((d - DATE '1969-12-29') / 7) AS BIGINT);
CREATE MACRO week_start(w) AS DATE '1969-12-29' + CAST(w * 7 AS INTEGER);

-- ---------------------------------------------------------------- users
CREATE TABLE users_raw AS
  SELECT trim(user_id) AS user_id, parse_ts(trim(signup_at)) AS signup_at, norm_channel(channel) AS channel
  FROM read_csv('{data}/users.csv', header = true, all_varchar = true);
CREATE TABLE users_valid AS SELECT * FROM users_raw WHERE user_id IS NOT NULL AND user_id <> '' AND signup_at IS NOT NULL;
CREATE TABLE users AS
  SELECT user_id, arg_min(signup_at, signup_at) AS signup_at, arg_min(channel, signup_at) AS channel
  FROM users_valid WHERE local_date(signup_at) <= DATE '2025-12-31' GROUP BY user_id;

-- ---------------------------------------------------------------- sales
CREATE TABLE sales_raw AS
  SELECT trim(order_id) AS order_id, trim(user_id) AS user_id, parse_ts(trim(ordered_at)) AS ordered_at,
         parse_money(trim(amount)) AS amount, lower(trim(status)) AS status,
         nullif(trim(updated_at), '') AS updated_text, parse_ts(trim(updated_at)) AS updated_at
  FROM read_csv('{data}/sales_*.csv', header = true, all_varchar = true);
CREATE TABLE sales_valid AS SELECT * FROM sales_raw
  WHERE order_id IS NOT NULL AND user_id IS NOT NULL AND ordered_at IS NOT NULL AND amount IS NOT NULL
    AND (updated_text IS NULL OR updated_at IS NOT NULL);
-- SPEC §3.4: the greatest updated_at wins (a missing one ranks lowest), so a refund re-export wins.
CREATE TABLE sales_dedup AS
  SELECT * FROM sales_valid WHERE local_date(ordered_at) <= DATE '2025-12-31'
  QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC NULLS LAST) = 1;
CREATE TABLE sales AS
  SELECT s.*, u.signup_at FROM sales_dedup s JOIN users u USING (user_id)
  WHERE s.status IS NULL OR s.status NOT IN ('refunded', 'cancelled', 'canceled', 'failed');

-- ---------------------------------------------------------------- events
CREATE TABLE events_raw AS
  SELECT nullif(trim(event_id), '') AS event_id, trim(user_id) AS user_id, trim(event) AS event,
         parse_ts(trim(occurred_at)) AS occurred_at
  FROM read_csv('{data}/events.csv', header = true, all_varchar = true);
CREATE TABLE events_valid AS SELECT * FROM events_raw
  WHERE user_id IS NOT NULL AND event IS NOT NULL AND occurred_at IS NOT NULL;
-- SPEC §3.4: key event_id, else the (user, event, instant) tuple; keep the first.
CREATE TABLE events_dedup AS
  SELECT DISTINCT ON (coalesce('id:' || event_id, 'tuple:' || user_id || '|' || event || '|' || epoch_us(occurred_at)))
         * FROM events_valid WHERE local_date(occurred_at) <= DATE '2025-12-31';
CREATE TABLE events AS SELECT e.* FROM events_dedup e SEMI JOIN users u USING (user_id);

-- ---------------------------------------------------------------- channel spend
CREATE TABLE spend_raw AS
  SELECT local_date(parse_ts(trim(date))) AS day, norm_channel(channel) AS channel, nullif(trim(campaign), '') AS campaign,
         parse_money(trim(spend)) AS spend, try_cast(replace(trim(impressions), ',', '') AS BIGINT) AS impressions,
         try_cast(replace(trim(clicks), ',', '') AS BIGINT) AS clicks
  FROM read_csv('{data}/channel_spend.csv', header = true, all_varchar = true);
CREATE TABLE spend AS
  SELECT DISTINCT ON (day, channel, campaign) * FROM spend_raw
  WHERE day IS NOT NULL AND spend IS NOT NULL AND spend >= 0 AND day <= DATE '2025-12-31';

-- ---------------------------------------------------------------- data quality (SPEC §5)
CREATE TABLE data_quality AS
  SELECT 'users' AS input, (SELECT count(*) FROM users_raw) AS rows_read,
         (SELECT count(*) FROM users_raw) - (SELECT count(*) FROM users_valid) AS rejected,
         (SELECT count(*) FROM users_valid WHERE local_date(signup_at) <= DATE '2025-12-31') - (SELECT count(*) FROM users) AS duplicates,
         (SELECT count(*) FROM users_valid WHERE local_date(signup_at) > DATE '2025-12-31') AS after_as_of,
         0 AS excluded_status
  UNION ALL
  SELECT 'sales', (SELECT count(*) FROM sales_raw),
         (SELECT count(*) FROM sales_raw) - (SELECT count(*) FROM sales_valid)
           + (SELECT count(*) FROM sales_dedup s ANTI JOIN users u USING (user_id)),
         (SELECT count(*) FROM sales_valid WHERE local_date(ordered_at) <= DATE '2025-12-31') - (SELECT count(*) FROM sales_dedup),
         (SELECT count(*) FROM sales_valid WHERE local_date(ordered_at) > DATE '2025-12-31'),
         (SELECT count(*) FROM sales_dedup s SEMI JOIN users u USING (user_id)) - (SELECT count(*) FROM sales)
  UNION ALL
  SELECT 'channels', (SELECT count(*) FROM spend_raw),
         (SELECT count(*) FROM spend_raw WHERE day IS NULL OR spend IS NULL OR spend < 0),
         (SELECT count(*) FROM spend_raw WHERE day IS NOT NULL AND spend >= 0 AND day <= DATE '2025-12-31') - (SELECT count(*) FROM spend),
         (SELECT count(*) FROM spend_raw WHERE day > DATE '2025-12-31' AND spend >= 0), 0
  UNION ALL
  SELECT 'events', (SELECT count(*) FROM events_raw),
         (SELECT count(*) FROM events_raw) - (SELECT count(*) FROM events_valid)
           + (SELECT count(*) FROM events_dedup e ANTI JOIN users u USING (user_id)),
         (SELECT count(*) FROM events_valid WHERE local_date(occurred_at) <= DATE '2025-12-31') - (SELECT count(*) FROM events_dedup),
         (SELECT count(*) FROM events_valid WHERE local_date(occurred_at) > DATE '2025-12-31'), 0;

-- ---------------------------------------------------------------- cohort retention (SPEC §4.1)
CREATE TABLE cohort_users AS
  SELECT user_id, week_no(local_date(signup_at)) AS c FROM users
  WHERE local_date(signup_at) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31';
CREATE TABLE retention_cells AS
  WITH sizes AS (SELECT c, count(*) AS cohort_size FROM cohort_users GROUP BY c),
  cells AS (SELECT c, cohort_size, k FROM sizes, range(0, 9) t(k) WHERE c + k <= week_no(DATE '2025-12-31')),
  sale_weeks AS (
    SELECT cu.c, week_no(local_date(s.ordered_at)) - cu.c AS k, s.user_id, s.amount
    FROM sales s JOIN cohort_users cu USING (user_id)),
  active AS (SELECT c, k, count(DISTINCT user_id) AS active_users FROM sale_weeks WHERE amount > 0 GROUP BY c, k),
  revenue AS (SELECT c, k, sum(amount) AS revenue FROM sale_weeks GROUP BY c, k)
  SELECT week_start(cells.c) AS cohort, cohort_size, cells.k AS period, coalesce(active_users, 0) AS active_users,
         coalesce(revenue, 0) AS revenue,
         week_start(cells.c + cells.k) + 6 > DATE '2025-12-31' AS partial
  FROM cells LEFT JOIN active USING (c, k) LEFT JOIN revenue USING (c, k)
  ORDER BY cohort, period;

-- ---------------------------------------------------------------- funnel (SPEC §4.2)
-- One stream: signups, purchases (kept sales with amount > 0) and events; seq orders each
-- user's stream by time. Each step takes the earliest next event of its name (ASOF join);
-- the repeated `purchase` step takes the next purchase after the previous one.
CREATE TABLE stream AS
  SELECT user_id, name, ts, row_number() OVER (PARTITION BY user_id ORDER BY ts, name) AS seq FROM (
    SELECT user_id, 'signup' AS name, signup_at AS ts FROM users
    UNION ALL SELECT user_id, 'purchase', ordered_at FROM sales WHERE amount > 0
    UNION ALL SELECT user_id, event, occurred_at FROM events WHERE event IN ('signup', 'view_item', 'add_to_cart', 'purchase'));
CREATE TABLE entries AS
  SELECT user_id, ts AS t1, seq AS s1, ts + INTERVAL 14 DAY AS deadline FROM stream
  WHERE name = 'signup' AND local_date(ts) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31';
-- Events of different names never share an instant in the generated data (events carry
-- milliseconds other than .000, orders whole seconds), so "at or after the previous step"
-- is "after it in the user's time order", and a repeated name takes the next such event.
CREATE TABLE chains AS
  SELECT e.user_id, e.t1, v.ts AS t2, c.ts AS t3, p.ts AS t4, q.ts AS t5, e.deadline
  FROM entries e
  ASOF LEFT JOIN (SELECT * FROM stream WHERE name = 'view_item') v ON e.user_id = v.user_id AND e.s1 < v.seq
  ASOF LEFT JOIN (SELECT * FROM stream WHERE name = 'add_to_cart') c ON e.user_id = c.user_id AND v.seq < c.seq
  ASOF LEFT JOIN (SELECT * FROM stream WHERE name = 'purchase') p ON e.user_id = p.user_id AND c.seq < p.seq
  ASOF LEFT JOIN (SELECT * FROM stream WHERE name = 'purchase') q ON e.user_id = q.user_id AND p.seq < q.seq;
CREATE TABLE progress AS
  WITH reached AS (
    SELECT user_id, t1, t2, t3, t4, t5,
      CASE WHEN t2 IS NULL OR t2 > deadline THEN 1 WHEN t3 IS NULL OR t3 > deadline THEN 2
           WHEN t4 IS NULL OR t4 > deadline THEN 3 WHEN t5 IS NULL OR t5 > deadline THEN 4 ELSE 5 END AS steps
    FROM chains)
  -- A user's best entry: the most steps, then the earliest.
  SELECT r.user_id, u.channel, arg_max(steps, (steps, -epoch_us(t1))) AS steps,
         arg_max(epoch_us(t2) - epoch_us(t1), (steps, -epoch_us(t1))) AS d2,
         arg_max(epoch_us(t3) - epoch_us(t2), (steps, -epoch_us(t1))) AS d3,
         arg_max(epoch_us(t4) - epoch_us(t3), (steps, -epoch_us(t1))) AS d4,
         arg_max(epoch_us(t5) - epoch_us(t4), (steps, -epoch_us(t1))) AS d5
  FROM reached r JOIN users u USING (user_id) GROUP BY r.user_id, u.channel;
CREATE TABLE funnel_steps AS
  WITH segments AS (
    SELECT 'all' AS segment, * FROM progress UNION ALL SELECT channel, * FROM progress)
  -- Medians as twice the exact value in microseconds: the mean of the two middle values stays an integer.
  SELECT segment,
    count(*) AS u1, count(*) FILTER (steps >= 2) AS u2, count(*) FILTER (steps >= 3) AS u3,
    count(*) FILTER (steps >= 4) AS u4, count(*) FILTER (steps >= 5) AS u5,
    CAST(2 * median(d2) FILTER (steps >= 2) AS HUGEINT) AS m2, CAST(2 * median(d3) FILTER (steps >= 3) AS HUGEINT) AS m3,
    CAST(2 * median(d4) FILTER (steps >= 4) AS HUGEINT) AS m4, CAST(2 * median(d5) FILTER (steps >= 5) AS HUGEINT) AS m5
  FROM segments GROUP BY segment;

-- ---------------------------------------------------------------- channel ROI (SPEC §4.3)
CREATE TABLE roi_sums AS
  WITH spend_sums AS (
    SELECT channel, sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks
    FROM spend WHERE day BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY channel),
  signups AS (
    SELECT user_id, channel, signup_at FROM users WHERE local_date(signup_at) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'),
  attributed AS (
    SELECT g.user_id, g.channel, sum(s.amount) AS revenue, bool_or(s.amount > 0) AS pays
    FROM signups g JOIN sales s USING (user_id)
    WHERE s.ordered_at BETWEEN g.signup_at AND g.signup_at + INTERVAL 90 DAY
      AND local_date(s.ordered_at) <= DATE '2025-12-31'
    GROUP BY g.user_id, g.channel),
  user_sums AS (
    SELECT g.channel, count(*) AS signups, count(*) FILTER (a.pays) AS paying_users, coalesce(sum(a.revenue), 0) AS revenue
    FROM signups g LEFT JOIN attributed a USING (user_id) GROUP BY g.channel)
  SELECT channel, coalesce(spend, 0) AS spend, impressions, clicks, coalesce(signups, 0) AS signups,
         coalesce(paying_users, 0) AS paying_users, coalesce(revenue, 0) AS revenue
  FROM spend_sums FULL JOIN user_sums USING (channel);
