-- name: report_worst_resources
-- description: Dashboard - the N resources with the most failed backup, copy and restore jobs in the period, by ARN.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
-- param: top_n — how many resources to return (a positive integer)
--
-- A resource is its ARN: resource_arn in the backup and copy job reports, source_resource_arn in the restore
-- job report. Failure states and dedup (latest row per job id among the period's deliveries) as in the other
-- report_* queries. last_failure is the creation time of the resource's latest failed job, last_message the
-- status message of its latest failed backup job (only the backup job report has one).
-- Ranked by failures, then the latest failure, then the ARN, so exactly N rows come back when N exist.
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
backups AS (
  SELECT
    b.account_id,
    b.region,
    b.resource_type,
    b.resource_arn,
    b.job_status,
    b.status_message,
    b.creation_date,
    ROW_NUMBER() OVER (
      PARTITION BY b.backup_job_id
      ORDER BY b.report_time_period_end DESC, b.delivery_date DESC, b.completion_date DESC
    ) AS rn
  FROM backup_job_report b
  CROSS JOIN params p
  WHERE b.delivery_date BETWEEN p.from_day AND p.to_day
),
copies AS (
  SELECT
    c.account_id,
    c.region,
    c.resource_type,
    c.resource_arn,
    c.job_status,
    c.creation_date,
    ROW_NUMBER() OVER (
      PARTITION BY c.copy_job_id
      ORDER BY c.report_time_period_end DESC, c.delivery_date DESC, c.completion_date DESC
    ) AS rn
  FROM copy_job_report c
  CROSS JOIN params p
  WHERE c.delivery_date BETWEEN p.from_day AND p.to_day
),
restores AS (
  SELECT
    r.account_id,
    r.region,
    r.source_resource_arn AS resource_arn,
    r.job_status,
    r.creation_date,
    ROW_NUMBER() OVER (
      PARTITION BY r.restore_job_id
      ORDER BY r.report_time_period_end DESC, r.delivery_date DESC,
        CASE WHEN r.job_status IN ('COMPLETED', 'FAILED', 'ABORTED') THEN 0 ELSE 1 END
    ) AS rn
  FROM restore_job_report r
  CROSS JOIN params p
  WHERE r.delivery_date BETWEEN p.from_day AND p.to_day
),
failures AS (
  SELECT 'backup' AS job_kind, account_id, region, resource_type, resource_arn, creation_date, status_message
  FROM backups
  WHERE rn = 1 AND job_status IN ('FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL')
  UNION ALL
  SELECT 'copy' AS job_kind, account_id, region, resource_type, resource_arn, creation_date, '' AS status_message
  FROM copies
  WHERE rn = 1 AND job_status IN ('FAILED', 'ABORTED', 'PARTIAL')
  UNION ALL
  SELECT 'restore' AS job_kind, account_id, region, '' AS resource_type, resource_arn, creation_date, '' AS status_message
  FROM restores
  WHERE rn = 1 AND job_status IN ('FAILED', 'ABORTED')
),
latest_message AS (
  SELECT resource_arn, status_message
  FROM (
    SELECT
      resource_arn,
      status_message,
      ROW_NUMBER() OVER (PARTITION BY resource_arn ORDER BY creation_date DESC, status_message) AS rn
    FROM failures
    WHERE job_kind = 'backup'
  ) m
  WHERE rn = 1
),
per_resource AS (
  SELECT
    resource_arn,
    MAX(account_id) AS account_id,
    MAX(region) AS region,
    MAX(resource_type) AS resource_type,
    COUNT(*) AS failed_jobs,
    COUNT(CASE WHEN job_kind = 'backup' THEN 1 END) AS failed_backup_jobs,
    COUNT(CASE WHEN job_kind = 'copy' THEN 1 END) AS failed_copy_jobs,
    COUNT(CASE WHEN job_kind = 'restore' THEN 1 END) AS failed_restore_jobs,
    MAX(creation_date) AS last_failure
  FROM failures
  WHERE COALESCE(resource_arn, '') <> ''
  GROUP BY resource_arn
),
ordered AS (
  SELECT
    r.*,
    ROW_NUMBER() OVER (ORDER BY r.failed_jobs DESC, r.last_failure DESC, r.resource_arn) AS failure_rank
  FROM per_resource r
)
SELECT
  o.failure_rank,
  o.resource_arn,
  o.account_id,
  o.region,
  o.resource_type,
  o.failed_jobs,
  o.failed_backup_jobs,
  o.failed_copy_jobs,
  o.failed_restore_jobs,
  o.last_failure,
  COALESCE(m.status_message, '') AS last_message
FROM ordered o
LEFT JOIN latest_message m ON m.resource_arn = o.resource_arn
WHERE o.failure_rank <= CAST(? AS INTEGER)
ORDER BY o.failure_rank
