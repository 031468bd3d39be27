-- name: report_worst_resources
-- description: Dashboard - the N resources with the most failed backup, copy and restore jobs in the period, by ARN.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
-- param: top_n — how many resources to return (a positive integer)
--
-- A resource is its ARN: resource_arn in the backup and copy job reports, source_resource_arn in the restore
-- job report. Failure states and dedup (latest row per job id among the period's deliveries, with max_by) as in
-- the other report_* queries. last_failure is the creation time of the resource's latest failed job,
-- last_message the status message of its latest failed backup job (only the backup job report has one).
-- Ranked by failures, then the latest failure, then the ARN, so exactly N rows come back when N exist.
-- Only jobs with a failure row in the period are deduplicated: a job none of whose rows is a failure cannot
-- end as one, and leaving the others out spares max_by most rows (rows without a job id stay, as one group).
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
latest_backups AS (
  SELECT
    max_by(
      ROW(
        b.account_id,
        b.region,
        b.resource_type,
        b.resource_arn,
        b.job_status,
        b.status_message,
        b.creation_date
      ),
      ROW(
        COALESCE(b.report_time_period_end, ''), b.report_time_period_end IS NOT NULL,
        b.delivery_date,
        COALESCE(b.completion_date, ''), b.completion_date IS NOT NULL
      )
    ) AS job
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
backups AS (
  SELECT
    job[1] AS account_id, job[2] AS region, job[3] AS resource_type, job[4] AS resource_arn,
    job[5] AS job_status, job[6] AS status_message, job[7] AS creation_date
  FROM latest_backups
),
latest_copies AS (
  SELECT
    max_by(
      ROW(
        c.account_id,
        c.region,
        c.resource_type,
        c.resource_arn,
        c.job_status,
        c.creation_date
      ),
      ROW(
        COALESCE(c.report_time_period_end, ''), c.report_time_period_end IS NOT NULL,
        c.delivery_date,
        COALESCE(c.completion_date, ''), c.completion_date IS NOT NULL
      )
    ) AS job
  FROM copy_job_report c
  CROSS JOIN params p
  WHERE c.delivery_date BETWEEN p.from_day AND p.to_day
    AND (c.copy_job_id IS NULL OR c.copy_job_id IN (
      SELECT failed.copy_job_id FROM copy_job_report failed CROSS JOIN params q
      WHERE failed.delivery_date BETWEEN q.from_day AND q.to_day
        AND failed.job_status IN ('FAILED', 'ABORTED', 'PARTIAL')
    ))
  GROUP BY c.copy_job_id
),
copies AS (
  SELECT
    job[1] AS account_id, job[2] AS region, job[3] AS resource_type, job[4] AS resource_arn,
    job[5] AS job_status, job[6] AS creation_date
  FROM latest_copies
),
latest_restores AS (
  SELECT
    max_by(
      ROW(
        r.account_id,
        r.region,
        r.source_resource_arn,
        r.job_status,
        r.creation_date
      ),
      ROW(
        COALESCE(r.report_time_period_end, ''), r.report_time_period_end IS NOT NULL,
        r.delivery_date,
        CASE WHEN r.job_status IN ('COMPLETED', 'FAILED', 'ABORTED') THEN 1 ELSE 0 END
      )
    ) AS job
  FROM restore_job_report r
  CROSS JOIN params p
  WHERE r.delivery_date BETWEEN p.from_day AND p.to_day
    AND (r.restore_job_id IS NULL OR r.restore_job_id IN (
      SELECT failed.restore_job_id FROM restore_job_report failed CROSS JOIN params q
      WHERE failed.delivery_date BETWEEN q.from_day AND q.to_day
        AND failed.job_status IN ('FAILED', 'ABORTED')
    ))
  GROUP BY r.restore_job_id
),
restores AS (
  SELECT
    job[1] AS account_id, job[2] AS region, job[3] AS resource_arn, job[4] AS job_status,
    job[5] AS creation_date
  FROM latest_restores
),
failures AS (
  SELECT 'backup' AS job_kind, account_id, region, resource_type, resource_arn, creation_date, status_message
  FROM backups
  WHERE job_status IN ('FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL')
  UNION ALL
  SELECT 'copy' AS job_kind, account_id, region, resource_type, resource_arn, creation_date, '' AS status_message
  FROM copies
  WHERE job_status IN ('FAILED', 'ABORTED', 'PARTIAL')
  UNION ALL
  SELECT 'restore' AS job_kind, account_id, region, '' AS resource_type, resource_arn, creation_date, '' AS status_message
  FROM restores
  WHERE job_status IN ('FAILED', 'ABORTED')
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
    pr.*,
    ROW_NUMBER() OVER (ORDER BY pr.failed_jobs DESC, pr.last_failure DESC, pr.resource_arn) AS failure_rank
  FROM per_resource pr
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
