-- name: report_recent_copy_restore_failures
-- description: Dashboard - the N most recently created failed copy and restore jobs of the period, with their resources.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
-- param: top_n — how many jobs to return (a positive integer)
--
-- Same jobs and dedup as report_copy_restore_failures_by_day. The restore report names the restored
-- resource by its source ARN and has no resource type column (resource_type is '' for restores).
-- Ties are broken by job id so that at most N rows come back in a stable order.
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
copies AS (
  SELECT
    c.account_id,
    c.region,
    c.copy_job_id AS job_id,
    c.job_status,
    c.resource_type,
    c.resource_arn,
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
    r.restore_job_id AS job_id,
    r.job_status,
    '' AS resource_type,
    r.source_resource_arn AS resource_arn,
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
  SELECT 'copy' AS job_kind, account_id, region, job_id, job_status, resource_type, resource_arn, creation_date
  FROM copies
  WHERE rn = 1 AND job_status IN ('FAILED', 'ABORTED', 'PARTIAL')
  UNION ALL
  SELECT 'restore' AS job_kind, account_id, region, job_id, job_status, resource_type, resource_arn, creation_date
  FROM restores
  WHERE rn = 1 AND job_status IN ('FAILED', 'ABORTED')
),
ordered AS (
  SELECT
    f.*,
    ROW_NUMBER() OVER (ORDER BY f.creation_date DESC, f.job_id) AS recency_rank
  FROM failures f
)
SELECT job_kind, account_id, region, job_id, job_status, resource_type, resource_arn, creation_date
FROM ordered
WHERE recency_rank <= CAST(? AS INTEGER)
ORDER BY recency_rank
