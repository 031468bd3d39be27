-- name: report_non_compliance_by_account
-- description: Dashboard - per account, with its OU, the controls and the resources whose latest evaluation in the period is NON_COMPLIANT.
-- param: from_day — first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)
-- param: to_day — last delivery day, YYYY-MM-DD (inclusive)
--
-- The compliance reports have no Path To Root column: an account's path comes from the job reports of the
-- period (the latest delivery day wins if the account moved), as in non_compliant_controls_in_ou. Its OU is
-- the path segment above the account (the root id for an account directly under the root); an account that
-- ran no job in the period has no known path, and ou_id and path_to_root are NULL.
-- Latest state: a compliance report is a snapshot, so only each report plan's latest delivery in the period
-- per delivery scope (account or crossaccount, Region or crossregion) counts, as in the named compliance
-- queries: a control that the newest report no longer lists, or lists as compliant, is not counted. Within
-- it, per (account, Region, framework, control) and per resource, the row with the latest evaluation time.
-- A resource that fails several controls counts once.
-- The latest row of each group is taken with max_by as in report_backup_jobs_by_account_day (the status inside a
-- ROW: DuckDB's max_by skips rows whose value is NULL, Trino's does not).
WITH params AS (
  SELECT CAST(? AS VARCHAR) AS from_day, CAST(? AS VARCHAR) AS to_day
),
job_paths AS (
  SELECT account_id, path_to_root, delivery_date FROM backup_job_report
  UNION ALL
  SELECT account_id, path_to_root, delivery_date FROM copy_job_report
  UNION ALL
  SELECT account_id, path_to_root, delivery_date FROM restore_job_report
),
account_path AS (
  SELECT
    j.account_id,
    max_by(j.path_to_root, ROW(j.delivery_date, j.path_to_root)) AS path_to_root
  FROM job_paths j
  CROSS JOIN params p
  WHERE COALESCE(j.path_to_root, '') <> ''
    AND j.delivery_date BETWEEN p.from_day AND p.to_day
  GROUP BY j.account_id
),
latest_control_delivery AS (
  SELECT
    c.report_plan,
    c.delivery_scope,
    c.delivery_region,
    MAX(c.delivery_date) AS delivery_day
  FROM control_compliance_report c
  CROSS JOIN params p
  WHERE c.delivery_date BETWEEN p.from_day AND p.to_day
  GROUP BY c.report_plan, c.delivery_scope, c.delivery_region
),
latest_controls AS (
  SELECT
    c.account_id,
    max_by(
      ROW(c.control_compliance_status),
      ROW(COALESCE(c.last_evaluation_time, ''), c.last_evaluation_time IS NOT NULL, c.delivery_date)
    )[1] AS control_compliance_status
  FROM control_compliance_report c
  JOIN latest_control_delivery l
    ON l.report_plan = c.report_plan
    AND l.delivery_scope = c.delivery_scope
    AND l.delivery_region = c.delivery_region
    AND l.delivery_day = c.delivery_date
  GROUP BY c.account_id, c.region, c.framework_name, c.control_name
),
controls AS (
  SELECT account_id, COUNT(*) AS non_compliant_controls
  FROM latest_controls
  WHERE control_compliance_status = 'NON_COMPLIANT'
  GROUP BY account_id
),
latest_resource_delivery AS (
  SELECT
    r.report_plan,
    r.delivery_scope,
    r.delivery_region,
    MAX(r.delivery_date) AS delivery_day
  FROM resource_compliance_report r
  CROSS JOIN params p
  WHERE r.delivery_date BETWEEN p.from_day AND p.to_day
  GROUP BY r.report_plan, r.delivery_scope, r.delivery_region
),
latest_resources AS (
  SELECT
    r.account_id,
    r.region,
    r.resource_id,
    max_by(
      ROW(r.resource_compliance_status),
      ROW(COALESCE(r.last_evaluation_time, ''), r.last_evaluation_time IS NOT NULL, r.delivery_date)
    )[1] AS resource_compliance_status
  FROM resource_compliance_report r
  JOIN latest_resource_delivery l
    ON l.report_plan = r.report_plan
    AND l.delivery_scope = r.delivery_scope
    AND l.delivery_region = r.delivery_region
    AND l.delivery_day = r.delivery_date
  GROUP BY r.account_id, r.region, r.framework_name, r.control_name, r.resource_id
),
resources AS (
  SELECT account_id, COUNT(DISTINCT region || '|' || resource_id) AS non_compliant_resources
  FROM latest_resources
  WHERE resource_compliance_status = 'NON_COMPLIANT'
  GROUP BY account_id
),
accounts AS (
  SELECT account_id FROM controls
  UNION
  SELECT account_id FROM resources
)
SELECT
  regexp_extract(ap.path_to_root, '([^/]+)/[^/]+$', 1) AS ou_id,
  ap.path_to_root,
  a.account_id,
  COALESCE(c.non_compliant_controls, 0) AS non_compliant_controls,
  COALESCE(r.non_compliant_resources, 0) AS non_compliant_resources
FROM accounts a
LEFT JOIN controls c ON c.account_id = a.account_id
LEFT JOIN resources r ON r.account_id = a.account_id
LEFT JOIN account_path ap ON ap.account_id = a.account_id
ORDER BY ou_id NULLS LAST, a.account_id
