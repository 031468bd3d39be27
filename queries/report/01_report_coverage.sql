-- name: report_coverage
-- description: Dashboard - per report table, the rows, delivery days and first and last delivery day in the period.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
--
-- Says what the page covers. The period is on delivery days (the folder date = the end of the report
-- period), as in accounts_without_completed_backup, so that Athena reads only those days' partitions.
-- Raw rows, no dedup: this counts what was read, not what it means.
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
delivered AS (
  SELECT 'backup_job_report' AS table_name, delivery_date FROM backup_job_report
  UNION ALL
  SELECT 'copy_job_report' AS table_name, delivery_date FROM copy_job_report
  UNION ALL
  SELECT 'restore_job_report' AS table_name, delivery_date FROM restore_job_report
  UNION ALL
  SELECT 'control_compliance_report' AS table_name, delivery_date FROM control_compliance_report
  UNION ALL
  SELECT 'resource_compliance_report' AS table_name, delivery_date FROM resource_compliance_report
),
in_period AS (
  SELECT d.table_name, d.delivery_date AS delivery_day
  FROM delivered d
  CROSS JOIN params p
  WHERE d.delivery_date BETWEEN p.from_day AND p.to_day
)
SELECT
  table_name,
  COUNT(*) AS row_count,
  COUNT(DISTINCT delivery_day) AS delivery_days,
  MIN(delivery_day) AS first_day,
  MAX(delivery_day) AS last_day
FROM in_period
GROUP BY table_name
ORDER BY table_name
