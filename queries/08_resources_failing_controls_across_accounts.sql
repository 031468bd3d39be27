-- name: resources_failing_controls_across_accounts
-- description: Per control, how many resources fail it (latest evaluation NON_COMPLIANT) and in how many accounts and Regions.
--
-- Answers "which control hurts most across the organization"; drill down with
-- non_compliant_resources_for_control.
-- Dedup: per (account, Region, framework, control, resource) the row of the latest delivery day, then the
-- latest evaluation time; a resource counts once per control even when several frameworks include it.
WITH ranked AS (
  SELECT
    r.account_id,
    r.region,
    r.control_name,
    r.resource_id,
    r.resource_compliance_status,
    ROW_NUMBER() OVER (
      PARTITION BY r.account_id, r.region, r.framework_name, r.control_name, r.resource_id
      ORDER BY r.year DESC, r.month DESC, r.day DESC, r.last_evaluation_time DESC
    ) AS rn
  FROM resource_compliance_report r
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
