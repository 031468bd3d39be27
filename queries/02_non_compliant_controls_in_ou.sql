-- name: non_compliant_controls_in_ou
-- description: Non-compliant controls of the accounts under one OU (or root) of the organization, path taken from the job reports.
-- param: ou_id — an OU id (ou-xxxx-xxxxxxxx) or the root id (r-xxxx): any segment of the accounts' path to root
--
-- The control compliance report has no Path To Root column, so an account's place in the organization comes
-- from the job reports (backup, copy, restore), which carry it per row. Accounts that ran no job in the
-- stored reports have no known path and are left out: check non_compliant_controls_in_region for them.
-- When an account moved between OUs, its path from the latest delivery day is used.
-- Matching wraps the path in '/' so ou-ab12-prod1 never matches ou-ab12-prod11.
-- Compliance rows: as non_compliant_controls_in_region (each plan's latest delivery per scope, then the
-- latest evaluation).
WITH job_paths AS (
  SELECT account_id, path_to_root, delivery_date FROM backup_job_report
  UNION ALL
  SELECT account_id, path_to_root, delivery_date FROM copy_job_report
  UNION ALL
  SELECT account_id, path_to_root, delivery_date FROM restore_job_report
),
account_path AS (
  SELECT account_id, path_to_root
  FROM (
    SELECT
      account_id,
      path_to_root,
      ROW_NUMBER() OVER (
        PARTITION BY account_id
        ORDER BY delivery_date DESC, path_to_root DESC
      ) AS rn
    FROM job_paths
    WHERE COALESCE(path_to_root, '') <> ''
  ) p
  WHERE rn = 1
),
latest_delivery AS (
  SELECT report_plan, delivery_scope, delivery_region, MAX(delivery_date) AS delivery_date
  FROM control_compliance_report
  GROUP BY report_plan, delivery_scope, delivery_region
),
ranked AS (
  SELECT
    c.account_id,
    c.region,
    c.framework_name,
    c.control_name,
    c.control_compliance_status,
    c.num_resources_non_compliant,
    ROW_NUMBER() OVER (
      PARTITION BY c.account_id, c.region, c.framework_name, c.control_name
      ORDER BY c.last_evaluation_time DESC, c.delivery_date DESC
    ) AS rn
  FROM control_compliance_report c
  JOIN latest_delivery l
    ON l.report_plan = c.report_plan
    AND l.delivery_scope = c.delivery_scope
    AND l.delivery_region = c.delivery_region
    AND l.delivery_date = c.delivery_date
)
SELECT
  a.path_to_root,
  r.account_id,
  r.region,
  r.framework_name,
  r.control_name,
  CAST(NULLIF(r.num_resources_non_compliant, '') AS BIGINT) AS resources_non_compliant
FROM ranked r
JOIN account_path a ON a.account_id = r.account_id
WHERE r.rn = 1
  AND r.control_compliance_status = 'NON_COMPLIANT'
  AND ('/' || a.path_to_root || '/') LIKE ('%/' || CAST(? AS VARCHAR) || '/%')
ORDER BY a.path_to_root, r.account_id, r.region, r.framework_name, r.control_name
