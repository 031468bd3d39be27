-- name: largest_backups
-- description: The N largest completed backup jobs by backup size, with the size in GiB.
-- param: top_n — how many jobs to return (a positive integer)
--
-- backup_size_in_bytes is a string column (all report columns are): empty values become NULL before the
-- cast, and RDS-like resources report 0 (documented), so they sort last. Ties are broken by job id so that
-- exactly N rows come back.
-- Dedup: one row per backup_job_id, the latest one (as failed_backup_jobs_in_region).
WITH latest AS (
  SELECT
    b.*,
    ROW_NUMBER() OVER (
      PARTITION BY b.backup_job_id
      ORDER BY b.report_time_period_end DESC, b.delivery_date DESC, b.completion_date DESC
    ) AS rn
  FROM backup_job_report b
),
sized AS (
  SELECT
    account_id,
    region,
    backup_job_id,
    resource_type,
    resource_arn,
    CAST(NULLIF(backup_size_in_bytes, '') AS BIGINT) AS backup_size_bytes,
    completion_date
  FROM latest
  WHERE rn = 1
    AND job_status = 'COMPLETED'
),
ordered AS (
  SELECT
    s.*,
    ROW_NUMBER() OVER (ORDER BY s.backup_size_bytes DESC NULLS LAST, s.backup_job_id) AS size_rank
  FROM sized s
)
SELECT
  size_rank,
  account_id,
  region,
  backup_job_id,
  resource_type,
  resource_arn,
  backup_size_bytes,
  ROUND(CAST(backup_size_bytes AS DOUBLE) / 1073741824, 2) AS backup_size_gib,
  completion_date
FROM ordered
WHERE size_rank <= CAST(? AS INTEGER)
ORDER BY size_rank
