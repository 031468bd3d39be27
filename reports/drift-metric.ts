/**
 * The drift signal an operator alarms on: the normaliser Lambda emits this metric (CloudWatch embedded metric
 * format, Powertools Metrics) once per report file whose header the header table does not fully describe
 * (unknown or duplicate headers), or that has no known header at all. Exported as one constant so that the
 * function, its environment and the alarm (ops stack) use the same namespace, name and dimension.
 * Alarm: Sum of `metricName` in `namespace` with dimension service = `service` ≥ 1 over a day.
 */
export const REPORT_DRIFT_METRIC = {
  namespace: "BackupAuditInsights",
  metricName: "ReportHeaderDrift",
  /** Powertools adds the service name as the only default dimension, `service`. */
  dimensions: { service: "backup-audit-partitioner" },
  unit: "Count",
} as const;
