import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseReportKey } from "../reports/report-key";
import { defaultReportTables } from "../reports/report-tables";
import { templateSpec } from "../reports/templates";
import type { DeployedReportPlan } from "./deployed-analytics";

/**
 * A dataset folder (default key prefixes, plan `org_plan`) as AWS Backup would deliver it for the deployed report
 * plans: `<plan's S3 key prefix>/Backup/<scope>/<region>/YYYY/MM/DD/<plan name>/<template>_<plan name>_<period
 * start>_<period end>_<part>.csv` (fact sheet §2), every byte of the file unchanged.
 */

export interface Delivery {
  /** The key in the reports bucket. */
  readonly key: string;
  /** The dataset file it comes from, relative to the dataset folder. */
  readonly source: string;
  readonly body: Buffer;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = path.join(dir, name);
    return statSync(abs).isDirectory() ? walk(abs) : [abs];
  });
}

export function deliveriesFor(folder: string, plans: readonly DeployedReportPlan[]): Delivery[] {
  const tables = defaultReportTables();
  const out: Delivery[] = [];
  for (const abs of walk(folder).sort()) {
    const source = path.relative(folder, abs).split(path.sep).join("/");
    const parsed = parseReportKey(source, tables, { decodePercent: false });
    if (!parsed.ok) throw new Error(`dataset file ${source}: not a report key (${parsed.message})`);
    const plan = plans.find((p) => p.template === parsed.template);
    if (!plan) throw new Error(`dataset file ${source}: no deployed report plan for ${parsed.template} (plans: ${plans.map((p) => `${p.name} ${p.template}`).join(", ")})`);
    const [scope, region, y, m, d] = parsed.partitionValues;
    const end = `${y}-${m}-${d}`;
    const start = new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const file = `${templateSpec(parsed.template).fileNamePrefix}${plan.name}_${start}t00:00:00z_${end}t00:00:00z_${parsed.part ?? 1}.csv`;
    const key = [plan.keyPrefix, "Backup", scope, region, y, m, d, plan.name, file].filter((s) => s !== "").join("/");
    out.push({ key, source, body: readFileSync(abs) });
  }
  return out;
}
