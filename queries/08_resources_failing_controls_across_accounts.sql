-- name: resources_failing_controls_across_accounts
-- description: Per control, how many resources fail it (latest evaluation NON_COMPLIANT) and in how many accounts and Regions.
--
-- Answers "which control hurts most across the organization"; drill down with
-- non_compliant_resources_for_control.
-- Latest state: each report plan's latest delivery per delivery scope (a compliance report is a snapshot),
-- then per (account, Region, framework, control, resource) the latest evaluation; a resource counts once per
-- control even when several frameworks include it.
WITH latest_delivery AS (
  SELECT report_plan, delivery_scope, delivery_region, MAX(delivery_date) AS delivery_date
  FROM resource_compliance_report
  GROUP BY report_plan, delivery_scope, delivery_region
),
ranked AS (
  SELECT
    r.account_id,
    r.region,
    r.control_name,
    r.resource_id,
    r.resource_compliance_status,
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
),
failing AS (
  SELECT DISTINCT account_id, region, control_name, resource_id
  FROM ranked
  WHERE rn = 1
    AND resource_compliance_status = 'NON_COMPLIANT'
)
SELECT
  control_name,
  COUNT(*) AS non_compliant_resources,
  COUNT(DISTINCT account_id) AS accounts,
  COUNT(DISTINCT region) AS regions
FROM failing
GROUP BY control_name
ORDER BY non_compliant_resources DESC, control_name
