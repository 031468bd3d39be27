-- name: non_compliant_resources_for_control
-- description: Resources whose latest evaluation of one control is NON_COMPLIANT, across all accounts and Regions.
-- param: control_name — control name as in the report, e.g. BACKUP_LAST_RECOVERY_POINT_CREATED
--
-- Dedup: per (account, Region, framework, control, resource) keep the row of the latest delivery day, then
-- the latest evaluation time, so a resource fixed since an older report does not show up.
WITH ranked AS (
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
      ORDER BY r.year DESC, r.month DESC, r.day DESC, r.last_evaluation_time DESC
    ) AS rn
  FROM resource_compliance_report r
  WHERE r.control_name = ?
)
SELECT account_id, region, framework_name, resource_type, resource_id, last_evaluation_time
FROM ranked
WHERE rn = 1
  AND resource_compliance_status = 'NON_COMPLIANT'
ORDER BY account_id, region, resource_type, resource_id
