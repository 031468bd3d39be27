-- name: backup_job_success_rate_by_account_day
-- description: Per account and UTC day the backup jobs were created - finished jobs, completed, failed and the success rate in percent.
--
-- Only finished jobs count: COMPLETED is a success; FAILED, ABORTED and EXPIRED are failures; jobs still
-- CREATED, PENDING, RUNNING or ABORTING are left out until a later report shows their end state (PARTIAL,
-- a composite job with some failed children, counts as finished but not successful).
-- "Completed with issues" (COMPLETED with a status message) counts as a success here; see
-- backup_jobs_completed_with_issues.
-- COUNT(CASE ...) rather than SUM(CASE ...): both engines type it BIGINT (DuckDB's SUM would be HUGEINT).
-- Dedup: one row per backup_job_id, the latest one (as failed_backup_jobs_in_region).
WITH latest AS (
  SELECT
    b.account_id,
    b.job_status,
    b.creation_date,
    ROW_NUMBER() OVER (
      PARTITION BY b.backup_job_id
      ORDER BY b.report_time_period_end DESC, b.delivery_date DESC, b.completion_date DESC
    ) AS rn
  FROM backup_job_report b
),
finished AS (
  SELECT account_id, substr(creation_date, 1, 10) AS job_day, job_status
  FROM latest
  WHERE rn = 1
    AND job_status IN ('COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL')
)
SELECT
  account_id,
  job_day,
  COUNT(*) AS finished_jobs,
  COUNT(CASE WHEN job_status = 'COMPLETED' THEN 1 END) AS completed_jobs,
  COUNT(CASE WHEN job_status <> 'COMPLETED' THEN 1 END) AS unsuccessful_jobs,
  ROUND(100 * CAST(COUNT(CASE WHEN job_status = 'COMPLETED' THEN 1 END) AS DOUBLE) / COUNT(*), 1) AS success_rate_pct
FROM finished
GROUP BY account_id, job_day
ORDER BY account_id, job_day
