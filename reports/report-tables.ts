import { allTemplateSpecs, isReportTemplate, templateSpec, type ReportTemplate } from "./templates";

/**
 * One configured report table: which key prefix a template's report plan delivers under and which Glue table
 * receives its partitions. The partitioner Lambda receives this list as the JSON env var `REPORT_TABLES`; the
 * CLI builds it from a landing zone's report plans. Keeping the builder here means both sides agree on it.
 */
export interface ReportTableRef {
  readonly template: ReportTemplate;
  /** S3 key prefix without leading or trailing slash; may be nested (`reports/BackupJob`) or empty. */
  readonly keyPrefix: string;
  readonly tableName: string;
}

/** Strips leading/trailing slashes so `reports/BackupJob/` and `/reports/BackupJob` compare equal. */
export function normalizeKeyPrefix(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, "");
}

/** Tables for report plans (`{template, keyPrefix}` as in `NormalizedReportPlan`), table names from templates.ts. */
export function reportTablesForPlans(
  plans: ReadonlyArray<{ readonly template: ReportTemplate; readonly keyPrefix: string }>,
): ReportTableRef[] {
  return plans.map((plan) => ({
    template: plan.template,
    keyPrefix: normalizeKeyPrefix(plan.keyPrefix),
    tableName: templateSpec(plan.template).tableName,
  }));
}

/** Every template at its default key prefix (what a report plan without `s3_key_prefix` override uses). */
export function defaultReportTables(): ReportTableRef[] {
  return reportTablesForPlans(
    allTemplateSpecs().map((spec) => ({ template: spec.template, keyPrefix: spec.defaultKeyPrefix })),
  );
}

/**
 * Parses and validates the `REPORT_TABLES` JSON. Throws with a message naming the offending entry: a
 * misconfigured function must fail loudly (events then land in the DLQ) rather than silently ignore reports.
 */
export function parseReportTablesJson(json: string): ReportTableRef[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new Error(`REPORT_TABLES is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error("REPORT_TABLES must be a non-empty JSON array of {template, keyPrefix, tableName}");
  }
  return value.map((entry: unknown, index) => {
    if (typeof entry !== "object" || entry === null) {
      throw new Error(`REPORT_TABLES[${index}] must be an object`);
    }
    const { template, keyPrefix, tableName } = entry as Record<string, unknown>;
    if (typeof template !== "string" || !isReportTemplate(template)) {
      throw new Error(`REPORT_TABLES[${index}].template is not a report template: ${JSON.stringify(template)}`);
    }
    if (typeof keyPrefix !== "string") {
      throw new Error(`REPORT_TABLES[${index}].keyPrefix must be a string`);
    }
    if (typeof tableName !== "string" || tableName.length === 0) {
      throw new Error(`REPORT_TABLES[${index}].tableName must be a non-empty string`);
    }
    return { template, keyPrefix: normalizeKeyPrefix(keyPrefix), tableName };
  });
}

/**
 * `TEMPLATE=prefix` overrides (CLI `--prefix`) applied to the default tables. Throws on an unknown template.
 */
export function reportTablesWithOverrides(overrides: ReadonlyArray<string>): ReportTableRef[] {
  const byTemplate = new Map<ReportTemplate, string>();
  for (const spec of allTemplateSpecs()) byTemplate.set(spec.template, spec.defaultKeyPrefix);
  for (const override of overrides) {
    const eq = override.indexOf("=");
    const template = eq < 0 ? override : override.slice(0, eq);
    if (eq < 0 || !isReportTemplate(template)) {
      throw new Error(`--prefix expects TEMPLATE=prefix with a known template, got ${JSON.stringify(override)}`);
    }
    byTemplate.set(template, override.slice(eq + 1));
  }
  return reportTablesForPlans([...byTemplate].map(([template, keyPrefix]) => ({ template, keyPrefix })));
}
