-- name: non_compliant_resources_for_control
-- description: Resources whose latest evaluation of one control is NON_COMPLIANT, across all accounts and Regions.
-- param: control_name — control name as in the report, e.g. BACKUP_LAST_RECOVERY_POINT_CREATED
--
-- Latest state: only each report plan's latest delivery per delivery scope counts (a compliance report is a
-- snapshot), so a resource fixed or gone since an older report does not show up; within it, per (account,
-- Region, framework, control, resource) the row with the latest evaluation time.
WITH latest_delivery AS (
  SELECT report_plan, delivery_scope, delivery_region, MAX(delivery_date) AS delivery_date
  FROM resource_compliance_report
  GROUP BY report_plan, delivery_scope, delivery_region
),
ranked AS (
  SELECT
    r.account_id,
    r.region,
    r.framework_name,
    r.control_name,
    r.resource_type,
    r.resource_id,
    r.resource_compliance_status,
    r.last_evaluation_time,
    ROW_NUMBER() OVER (
      PARTITION BY r.account_id, r.region, r.framework_name, r.control_name, r.resource_id
      ORDER BY r.last_evaluation_time DESC, r.delivery_date DESC
    ) AS rn
  FROM resource_compliance_report r
  JOIN latest_delivery l
    ON l.report_plan = r.report_plan
    AND l.delivery_scope = r.delivery_scope
    AND l.delivery_region = r.delivery_region
    AND l.delivery_date = r.delivery_date
  WHERE r.control_name = ?
)
SELECT account_id, region, framework_name, resource_type, resource_id, last_evaluation_time
FROM ranked
WHERE rn = 1
  AND resource_compliance_status = 'NON_COMPLIANT'
ORDER BY account_id, region, resource_type, resource_id
