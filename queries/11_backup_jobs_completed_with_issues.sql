-- name: backup_jobs_completed_with_issues
-- description: Backup jobs that COMPLETED with a status message - what the console calls "completed with issues".
--
-- "Completed with issues" is not a job status: AWS documents it as a COMPLETED job that carries a status
-- message (for example a failed Windows VSS attempt that fell back to a crash-consistent backup).
-- Dedup: one row per backup_job_id, the latest one (as failed_backup_jobs_in_region).
WITH latest AS (
  SELECT
    b.*,
    ROW_NUMBER() OVER (
      PARTITION BY b.backup_job_id
      ORDER BY b.report_time_period_end DESC, b.delivery_date DESC, b.completion_date DESC
    ) AS rn
  FROM backup_job_report b
)
SELECT
  account_id,
  region,
  backup_job_id,
  resource_type,
  resource_arn,
  status_message,
  completion_date
FROM latest
WHERE rn = 1
  AND job_status = 'COMPLETED'
  AND TRIM(COALESCE(status_message, '')) <> ''
ORDER BY account_id, region, completion_date, backup_job_id
