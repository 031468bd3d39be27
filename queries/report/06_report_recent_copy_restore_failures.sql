-- name: report_recent_copy_restore_failures
-- description: Dashboard - the N most recently created failed copy and restore jobs of the period, with their resources.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
-- param: top_n — how many jobs to return (a positive integer)
--
-- Same jobs and dedup (max_by) as report_copy_restore_failures_by_day. The restore report names the restored
-- resource by its source ARN and has no resource type column (resource_type is '' for restores).
-- Ties are broken by job id so that at most N rows come back in a stable order.
-- Only jobs with a failure row in the period are deduplicated: a job none of whose rows is a failure cannot
-- end as one, and leaving the others out spares max_by most rows (rows without a job id stay, as one group).
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
latest_copies AS (
  SELECT
    c.copy_job_id AS job_id,
    max_by(
      ROW(
        c.account_id,
        c.region,
        c.job_status,
        c.resource_type,
        c.resource_arn,
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
    job_id, job[1] AS account_id, job[2] AS region, job[3] AS job_status, job[4] AS resource_type,
    job[5] AS resource_arn, job[6] AS creation_date
  FROM latest_copies
),
latest_restores AS (
  SELECT
    r.restore_job_id AS job_id,
    max_by(
      ROW(
        r.account_id,
        r.region,
        r.job_status,
        r.source_resource_arn,
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
    job_id, job[1] AS account_id, job[2] AS region, job[3] AS job_status, '' AS resource_type,
    job[4] AS resource_arn, job[5] AS creation_date
  FROM latest_restores
),
failures AS (
  SELECT 'copy' AS job_kind, account_id, region, job_id, job_status, resource_type, resource_arn, creation_date
  FROM copies
  WHERE job_status IN ('FAILED', 'ABORTED', 'PARTIAL')
  UNION ALL
  SELECT 'restore' AS job_kind, account_id, region, job_id, job_status, resource_type, resource_arn, creation_date
  FROM restores
  WHERE job_status IN ('FAILED', 'ABORTED')
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
