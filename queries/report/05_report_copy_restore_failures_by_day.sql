-- name: report_copy_restore_failures_by_day
-- description: Dashboard - failed copy jobs (FAILED, ABORTED, PARTIAL) and restore jobs (FAILED, ABORTED) per UTC day they were created.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
--
-- Failure states as in aborted_copy_jobs_in_region and failed_restore_jobs_in_region. A job without a
-- creation date is put on the day of its delivery.
-- Dedup: one row per copy_job_id / restore_job_id among the period's deliveries, the latest one (restore:
-- a final state wins over PENDING/RUNNING within one period, the report has no completion date), taken with
-- max_by as in report_backup_jobs_by_account_day.
-- Only jobs with a failure row in the period are deduplicated: a job none of whose rows is a failure cannot
-- end as one, and leaving the others out spares max_by most rows (rows without a job id stay, as one group).
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
latest_copies AS (
  SELECT
    max_by(
      ROW(
        c.job_status,
        COALESCE(NULLIF(substr(c.creation_date, 1, 10), ''), c.delivery_date)
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
  SELECT job[1] AS job_status, job[2] AS job_day
  FROM latest_copies
),
latest_restores AS (
  SELECT
    max_by(
      ROW(
        r.job_status,
        COALESCE(NULLIF(substr(r.creation_date, 1, 10), ''), r.delivery_date)
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
  SELECT job[1] AS job_status, job[2] AS job_day
  FROM latest_restores
),
failures AS (
  SELECT 'copy' AS job_kind, job_day FROM copies WHERE job_status IN ('FAILED', 'ABORTED', 'PARTIAL')
  UNION ALL
  SELECT 'restore' AS job_kind, job_day FROM restores WHERE job_status IN ('FAILED', 'ABORTED')
)
SELECT
  job_day,
  job_kind,
  COUNT(*) AS failed_jobs
FROM failures
GROUP BY job_day, job_kind
ORDER BY job_day, job_kind
