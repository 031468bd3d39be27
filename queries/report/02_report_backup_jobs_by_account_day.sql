-- name: report_backup_jobs_by_account_day
-- description: Dashboard heat map - per account and UTC day the backup jobs were created, all jobs, finished, completed and failed.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
--
-- Job states as in backup_job_success_rate_by_account_day: COMPLETED is a success; FAILED, ABORTED, EXPIRED
-- and PARTIAL are failures; CREATED, PENDING, RUNNING and ABORTING are not finished yet (counted in jobs,
-- not in the success rate). A job without a creation date is put on the day of its delivery.
-- Dedup: one row per backup_job_id among the period's deliveries, the latest one (latest report period, then
-- delivery day, then a row with a completion date). max_by over ROWs takes that whole row in one aggregation
-- (cheaper than ranking every row); each nullable sort key is COALESCE(x, '') followed by x IS NOT NULL, which
-- orders as ORDER BY x DESC NULLS LAST does, because Trino refuses to compare ROWs with NULL fields.
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
latest AS (
  SELECT
    max_by(
      ROW(b.account_id, b.job_status, COALESCE(NULLIF(substr(b.creation_date, 1, 10), ''), b.delivery_date)),
      ROW(
        COALESCE(b.report_time_period_end, ''), b.report_time_period_end IS NOT NULL,
        b.delivery_date,
        COALESCE(b.completion_date, ''), b.completion_date IS NOT NULL
      )
    ) AS job
  FROM backup_job_report b
  CROSS JOIN params p
  WHERE b.delivery_date BETWEEN p.from_day AND p.to_day
  GROUP BY b.backup_job_id
),
jobs AS (
  SELECT job[1] AS account_id, job[2] AS job_status, job[3] AS job_day FROM latest
)
SELECT
  account_id,
  job_day,
  COUNT(*) AS jobs,
  COUNT(CASE WHEN job_status IN ('COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL') THEN 1 END) AS finished_jobs,
  COUNT(CASE WHEN job_status = 'COMPLETED' THEN 1 END) AS completed_jobs,
  COUNT(CASE WHEN job_status IN ('FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL') THEN 1 END) AS failed_jobs
FROM jobs
GROUP BY account_id, job_day
ORDER BY account_id, job_day
