-- name: report_backup_failures_by_region_type
-- description: Dashboard - failed backup jobs (FAILED, ABORTED, EXPIRED, PARTIAL) per Region and resource type.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
--
-- Dedup: one row per backup_job_id among the period's deliveries, the latest one (as
-- report_backup_jobs_by_account_day), so a job RUNNING yesterday and FAILED today counts once.
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
latest AS (
  SELECT
    b.region,
    b.resource_type,
    b.job_status,
    ROW_NUMBER() OVER (
      PARTITION BY b.backup_job_id
      ORDER BY b.report_time_period_end DESC, b.delivery_date DESC, b.completion_date DESC
    ) AS rn
  FROM backup_job_report b
  CROSS JOIN params p
  WHERE b.delivery_date BETWEEN p.from_day AND p.to_day
)
SELECT
  region,
  resource_type,
  COUNT(*) AS failed_jobs
FROM latest
WHERE rn = 1
  AND job_status IN ('FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL')
GROUP BY region, resource_type
ORDER BY region, failed_jobs DESC, resource_type
