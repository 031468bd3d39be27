-- name: accounts_without_completed_backup
-- description: Accounts that appear in any report delivered between two days but have no COMPLETED backup job in those days.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
--
-- "Seen" means the account id occurs in any of the five report tables in the period, so accounts that only
-- show up in compliance reports (resources exist, nothing backs them up) are caught too. The period is taken
-- from the delivery_date partition, which lets Athena read only those days' files.
-- An account with only "completed with issues" jobs has a completed backup and is not listed.
-- Dedup: accounts are DISTINCT; jobs are counted by DISTINCT backup_job_id.
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
seen AS (
  SELECT account_id, delivery_date FROM backup_job_report
  UNION ALL
  SELECT account_id, delivery_date FROM copy_job_report
  UNION ALL
  SELECT account_id, delivery_date FROM restore_job_report
  UNION ALL
  SELECT account_id, delivery_date FROM control_compliance_report
  UNION ALL
  SELECT account_id, delivery_date FROM resource_compliance_report
),
seen_in_period AS (
  SELECT DISTINCT s.account_id
  FROM seen s
  CROSS JOIN params p
  WHERE s.delivery_date BETWEEN p.from_day AND p.to_day
    AND COALESCE(s.account_id, '') <> ''
),
backups_in_period AS (
  SELECT
    b.account_id,
    COUNT(DISTINCT b.backup_job_id) AS backup_jobs,
    COUNT(DISTINCT CASE WHEN b.job_status = 'COMPLETED' THEN b.backup_job_id END) AS completed_jobs
  FROM backup_job_report b
  CROSS JOIN params p
  WHERE b.delivery_date BETWEEN p.from_day AND p.to_day
  GROUP BY b.account_id
)
SELECT
  s.account_id,
  COALESCE(j.backup_jobs, 0) AS backup_jobs_in_period
FROM seen_in_period s
LEFT JOIN backups_in_period j ON j.account_id = s.account_id
WHERE COALESCE(j.completed_jobs, 0) = 0
ORDER BY s.account_id
