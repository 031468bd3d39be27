-- name: aborted_copy_jobs_in_region
-- description: Copy jobs that did not complete in one Region - ABORTED, FAILED or PARTIAL - read from the copy job report.
-- param: region — source Region of the copy (data column region, e.g. us-east-1)
--
-- AWS's walkthrough looked for aborted copy jobs in the backup job report; copy jobs are only in the copy job
-- report. The CopyJob API lists CREATED, RUNNING, COMPLETED, FAILED and PARTIAL (no ABORTED), so ABORTED
-- alone would return nothing in practice: FAILED and PARTIAL (some child copies failed) are included.
-- Dedup: one row per copy_job_id, from the latest report period, then the latest delivery day, preferring a
-- row with a completion date.
WITH latest AS (
  SELECT
    c.*,
    ROW_NUMBER() OVER (
      PARTITION BY c.copy_job_id
      ORDER BY c.report_time_period_end DESC, c.delivery_date DESC, c.completion_date DESC
    ) AS rn
  FROM copy_job_report c
)
SELECT
  account_id,
  region,
  copy_job_id,
  job_status,
  resource_type,
  resource_arn,
  source_backup_vault_arn,
  destination_backup_vault_arn,
  creation_date,
  completion_date
FROM latest
WHERE rn = 1
  AND region = ?
  AND job_status IN ('ABORTED', 'FAILED', 'PARTIAL')
ORDER BY creation_date, copy_job_id
