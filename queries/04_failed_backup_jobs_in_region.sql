-- name: failed_backup_jobs_in_region
-- description: Backup jobs that ended FAILED, ABORTED or EXPIRED in one Region (latest state of each job).
-- param: region — AWS Region where the job ran (data column region, e.g. us-east-1)
--
-- Dedup: a job is listed in every report while it is active and once more when it ends, and identical rows
-- repeat in on-demand runs. Keep one row per backup_job_id: the one from the latest report period, then the
-- latest delivery day, preferring a row with a completion date. A job RUNNING yesterday and FAILED today
-- counts once, as FAILED.
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
  job_status,
  status_message,
  resource_type,
  resource_arn,
  backup_vault_name,
  creation_date,
  completion_date
FROM latest
WHERE rn = 1
  AND region = ?
  AND job_status IN ('FAILED', 'ABORTED', 'EXPIRED')
ORDER BY creation_date, backup_job_id
