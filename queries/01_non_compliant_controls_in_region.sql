-- name: non_compliant_controls_in_region
-- description: Controls whose latest evaluation is NON_COMPLIANT in one Region, per account and framework, with resource counts.
-- param: region — AWS Region of the evaluated resources (data column region, e.g. us-east-1)
--
-- Latest state: a compliance report is a snapshot, so only each report plan's latest delivery per delivery
-- scope (account or crossaccount, Region or crossregion) counts — a control that a newer report no longer
-- lists, or lists as compliant, is not reported. Within it, the same control may repeat (part files,
-- on-demand runs, two plans covering one account): per (account, Region, framework, control) keep the row
-- with the latest evaluation time.
WITH latest_delivery AS (
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
    c.num_resources_compliant,
    c.num_resources_non_compliant,
    c.last_evaluation_time,
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
