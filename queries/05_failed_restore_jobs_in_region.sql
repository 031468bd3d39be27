-- name: failed_restore_jobs_in_region
-- description: Restore jobs that ended FAILED or ABORTED in one Region (latest state of each job).
-- param: region — AWS Region where the restore ran (data column region, e.g. eu-west-1)
--
-- Restore job states are PENDING, RUNNING, COMPLETED, ABORTED and FAILED; the last two are failures.
-- Dedup: one row per restore_job_id, from the latest report period, then the latest delivery day.
-- The restore report has no completion date column in our column list, so within one period a row in a
-- final state (COMPLETED, FAILED, ABORTED) wins over a row of the same job still PENDING or RUNNING.
WITH latest AS (
  SELECT
    r.*,
    ROW_NUMBER() OVER (
      PARTITION BY r.restore_job_id
      ORDER BY r.report_time_period_end DESC, r.delivery_date DESC,
        CASE WHEN r.job_status IN ('COMPLETED', 'FAILED', 'ABORTED') THEN 0 ELSE 1 END
    ) AS rn
  FROM restore_job_report r
)
SELECT
  account_id,
  region,
  restore_job_id,
  job_status,
  resource_name,
  source_resource_arn,
  recovery_point_arn,
  percent_done,
  creation_date
FROM latest
WHERE rn = 1
  AND region = ?
  AND job_status IN ('FAILED', 'ABORTED')
ORDER BY creation_date, restore_job_id
