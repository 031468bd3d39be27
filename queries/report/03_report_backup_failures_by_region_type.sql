-- name: report_backup_failures_by_region_type
-- description: Dashboard - failed backup jobs (FAILED, ABORTED, EXPIRED, PARTIAL) per Region and resource type.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
--
-- Dedup: one row per backup_job_id among the period's deliveries, the latest one (as
-- report_backup_jobs_by_account_day, also how max_by orders), so a job RUNNING yesterday and FAILED today
-- counts once.
-- Only jobs with a failure row in the period are deduplicated: a job none of whose rows is a failure cannot
-- end as one, and leaving the others out spares max_by most rows (rows without a job id stay, as one group).
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
latest AS (
  SELECT
    max_by(ROW(b.region, b.resource_type, b.job_status), ROW(
        COALESCE(b.report_time_period_end, ''), b.report_time_period_end IS NOT NULL,
        b.delivery_date,
        COALESCE(b.completion_date, ''), b.completion_date IS NOT NULL
      )) AS job
  FROM backup_job_report b
  CROSS JOIN params p
  WHERE b.delivery_date BETWEEN p.from_day AND p.to_day
    AND (b.backup_job_id IS NULL OR b.backup_job_id IN (
      SELECT failed.backup_job_id FROM backup_job_report failed CROSS JOIN params q
      WHERE failed.delivery_date BETWEEN q.from_day AND q.to_day
        AND failed.job_status IN ('FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL')
    ))
  GROUP BY b.backup_job_id
),
jobs AS (
  SELECT job[1] AS region, job[2] AS resource_type, job[3] AS job_status FROM latest
)
SELECT
  region,
  resource_type,
  COUNT(*) AS failed_jobs
FROM jobs
WHERE job_status IN ('FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL')
GROUP BY region, resource_type
ORDER BY region, failed_jobs DESC, resource_type
