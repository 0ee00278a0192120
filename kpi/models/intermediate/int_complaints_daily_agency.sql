-- The daily grain rolled up. One row per region × agency × local day, with the additive counts of
-- that day's events: what the agency league, the city's figures and the weekly × agency table
-- read (tens of rows a day per region instead of one per complaint). Built once per load by
-- kpi.build, from $from_day on. As in SQL's ROLLUP, the dimensions rolled up are NULL, so the
-- marts read it exactly like the daily grain.
SELECT region_code, agency_id, {{ null_text() }} AS category,
    {{ null_text() }} AS district, {{ null_text() }} AS channel,
    {{ null_text() }} AS source, d, {{ sum_measures() }}
FROM {{ ref('int_complaint_events') }}
WHERE d >= $from_day
GROUP BY region_code, agency_id, d
