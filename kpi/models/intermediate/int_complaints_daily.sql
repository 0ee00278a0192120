-- The daily grain. One row per region × agency × category × district × channel × source × local
-- day, with the additive counts of that day's events (int_complaint_events). Built once per load
-- by kpi.build, from $from_day on (a load that touched only recent days rebuilds only those).
SELECT region_code, agency_id, category, district, channel, source, d, {{ sum_measures() }}
FROM {{ ref('int_complaint_events') }}
WHERE d >= $from_day
GROUP BY region_code, agency_id, category, district, channel, source, d
