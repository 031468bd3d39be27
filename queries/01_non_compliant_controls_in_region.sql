-- name: non_compliant_controls_in_region
-- description: Controls whose latest evaluation is NON_COMPLIANT in one Region, per account and framework, with resource counts.
-- param: region — AWS Region of the evaluated resources (data column region, e.g. us-east-1)
--
-- Dedup: the same control evaluation can arrive in several part files, on-demand runs and daily reports.
-- Keep, per (account, Region, framework, control), the row of the latest delivery day, then the latest
-- evaluation time. Only the latest state counts: a control fixed yesterday is not reported today.
WITH ranked AS (
  SELECT
    c.account_id,
    c.region,
    c.framework_name,
    c.control_name,
    c.control_compliance_status,
    c.num_resources_compliant,
    c.num_resources_non_compliant,
    c.last_evaluation_time,
    ROW_NUMBER() OVER (
      PARTITION BY c.account_id, c.region, c.framework_name, c.control_name
      ORDER BY c.year DESC, c.month DESC, c.day DESC, c.last_evaluation_time DESC
    ) AS rn
  FROM control_compliance_report c
  WHERE c.region = ?
)
SELECT
  account_id,
  region,
  framework_name,
  control_name,
  CAST(NULLIF(num_resources_non_compliant, '') AS BIGINT) AS resources_non_compliant,
  CAST(NULLIF(num_resources_compliant, '') AS BIGINT) AS resources_compliant,
  last_evaluation_time
FROM ranked
WHERE rn = 1
  AND control_compliance_status = 'NON_COMPLIANT'
ORDER BY account_id, framework_name, control_name
