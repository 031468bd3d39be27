-- name: report_copy_restore_failures_by_day
-- description: Dashboard - failed copy jobs (FAILED, ABORTED, PARTIAL) and restore jobs (FAILED, ABORTED) per UTC day they were created.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
--
-- Failure states as in aborted_copy_jobs_in_region and failed_restore_jobs_in_region. A job without a
-- creation date is put on the day of its delivery.
-- Dedup: one row per copy_job_id / restore_job_id among the period's deliveries, the latest one (restore:
-- a final state wins over PENDING/RUNNING within one period, the report has no completion date).
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
copies AS (
  SELECT
    c.job_status,
    COALESCE(NULLIF(substr(c.creation_date, 1, 10), ''), c.delivery_date) AS job_day,
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
    r.job_status,
    COALESCE(NULLIF(substr(r.creation_date, 1, 10), ''), r.delivery_date) AS job_day,
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
  SELECT 'copy' AS job_kind, job_day FROM copies WHERE rn = 1 AND job_status IN ('FAILED', 'ABORTED', 'PARTIAL')
  UNION ALL
  SELECT 'restore' AS job_kind, job_day FROM restores WHERE rn = 1 AND job_status IN ('FAILED', 'ABORTED')
)
SELECT
  job_day,
  job_kind,
  COUNT(*) AS failed_jobs
FROM failures
GROUP BY job_day, job_kind
ORDER BY job_day, job_kind
