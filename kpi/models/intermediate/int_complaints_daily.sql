-- The daily grain. One row per region × agency × category × district × channel × source × local
-- day, with the additive counts of that day's events (int_complaint_events).
-- Materialised on ClickHouse (kpi/lake.py). On DuckDB it stays a view: at a city's volume a cell
-- of six dimensions sees about one complaint a day, so the table would hold as many rows as the
-- staged complaints and cost as much to build as they do (measured: bench/RESULTS.md); the marts
-- sum the events directly instead, and read the rollup int_complaints_daily_agency when they can.
SELECT region_code, agency_id, category, district, channel, source, d, {{ sum_measures() }}
FROM {{ ref('int_complaint_events') }}
WHERE d >= $from_day
GROUP BY region_code, agency_id, category, district, channel, source, d
