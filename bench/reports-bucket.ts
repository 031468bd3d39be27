import * as fs from "fs";
import * as path from "path";
import { templateSpec, type ReportTemplate } from "../reports/templates";

/**
 * A generated copy of a reports bucket (`aws s3 sync` layout, one cross-account/cross-Region plan), for the
 * benchmarks and the report's screenshot: deterministic (seeded), so runs compare. Every delivery day has the
 * five templates; the backup job report comes in two part files, as a report over 50 MB does.
 *
 * The last account runs no backup job at all (accounts_without_completed_backup has something to find);
 * every fifth account fails more often, and all accounts fail more in the middle third of the period, so the
 * heat map shows a pattern rather than noise. Each account has a fixed set of resources, so failures pile up
 * on some of them (the worst-resources table).
 */

export interface ReportsBucketShape {
  readonly days: number;
  readonly accounts: number;
  readonly backupJobsPerDay: number;
  readonly copyJobsPerDay: number;
  readonly restoreJobsPerDay: number;
  /** First delivery day, YYYY-MM-DD. */
  readonly firstDay?: string;
}

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];
const RESOURCE_TYPES = ["EC2", "EBS", "RDS", "EFS", "S3", "DynamoDB", "Aurora", "FSx", "Redshift"];
const CONTROLS = [
  "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
  "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
  "BACKUP_RECOVERY_POINT_ENCRYPTED",
  "BACKUP_LAST_RECOVERY_POINT_CREATED",
];
const RESOURCES_PER_ACCOUNT = 12;

/** Small LCG: deterministic data without a dependency. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function line(template: ReportTemplate, values: Record<string, string>): string {
  return templateSpec(template)
    .columns.map((c) => `"${(values[c.name] ?? "").replace(/"/g, '""')}"`)
    .join(",");
}

function header(template: ReportTemplate): string {
  return templateSpec(template)
    .columns.map((c) => `"${c.header}"`)
    .join(",");
}

function writeReport(root: string, template: ReportTemplate, day: Date, part: number, rows: string[]): void {
  const spec = templateSpec(template);
  const iso = day.toISOString().slice(0, 10);
  const [y, m, d] = iso.split("-");
  const start = new Date(day.getTime() - 86_400_000).toISOString().slice(0, 10);
  const dir = path.join(root, spec.defaultKeyPrefix, "Backup", "crossaccount", "crossregion", y, m, d, "org_plan");
  fs.mkdirSync(dir, { recursive: true });
  const name = `${spec.fileNamePrefix}org_plan_${start}t00:00:00z_${iso}t00:00:00z_${part}.csv`;
  fs.writeFileSync(path.join(dir, name), [header(template), ...rows].join("\n") + "\n");
}

/** Writes the dataset under root; returns the number of data rows and files. */
export function generateReportsBucket(root: string, shape: ReportsBucketShape): { rows: number; files: number } {
  const random = rng(20260315);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const account = (i: number): string => String(100000000000 + i * 7919).padStart(12, "0");
  const path_ = (i: number): string => `r-ab12/ou-ab12-${i % 3 === 0 ? "dev" : "prod"}${i % 3}/${account(i)}`;
  const resource = (a: number, k: number): { type: string; region: string; arn: string } => {
    const type = RESOURCE_TYPES[(a + k) % RESOURCE_TYPES.length];
    const region = REGIONS[(a * 3 + k) % REGIONS.length];
    return { type, region, arn: `arn:aws:backup-test:${region}:${account(a)}:${type.toLowerCase()}/res-${a}-${k}` };
  };
  const first = Date.parse(`${shape.firstDay ?? "2026-03-02"}T00:00:00Z`);
  let total = 0;
  for (let dayIndex = 0; dayIndex < shape.days; dayIndex++) {
    const day = new Date(first + dayIndex * 86_400_000);
    const periodEnd = day.toISOString().slice(0, 10) + "T00:00:00Z";
    const periodStart = new Date(day.getTime() - 86_400_000).toISOString().slice(0, 10) + "T00:00:00Z";
    const created = (n: number): string => new Date(day.getTime() - 86_400_000 + (n % 86_400) * 1000).toISOString();
    const period = { report_time_period_start: periodStart, report_time_period_end: periodEnd };
    const incident = dayIndex >= shape.days / 3 && dayIndex < (2 * shape.days) / 3 ? 0.08 : 0;

    const backups: string[] = [];
    for (let n = 0; n < shape.backupJobsPerDay; n++) {
      const a = Math.floor(random() * (shape.accounts - 1));
      const res = resource(a, Math.floor(random() * RESOURCES_PER_ACCOUNT));
      const failure = 0.06 + incident + (a % 5 === 0 ? 0.2 : 0);
      const r = random();
      const status =
        r < failure * 0.6 ? "FAILED" : r < failure * 0.8 ? "ABORTED" : r < failure ? "EXPIRED" : r < failure + 0.02 ? "RUNNING" : "COMPLETED";
      const withIssue = status === "COMPLETED" && random() < 0.03;
      backups.push(
        line("BACKUP_JOB_REPORT", {
          ...period,
          path_to_root: path_(a),
          account_id: account(a),
          region: res.region,
          backup_job_id: `job-${dayIndex}-${n}`,
          job_status: status,
          status_message:
            status === "COMPLETED" ? (withIssue ? "Windows VSS Backup attempt failed." : "") : `Backup job ${status.toLowerCase()}: generated failure`,
          resource_type: res.type,
          resource_arn: res.arn,
          creation_date: created(n * 31),
          completion_date: status === "RUNNING" ? "" : created(n * 31 + 600),
          backup_size_in_bytes: String(Math.floor(random() * 2 ** 36)),
          backup_vault_name: "org-central-vault",
        }),
      );
    }
    const half = Math.floor(backups.length / 2);
    writeReport(root, "BACKUP_JOB_REPORT", day, 1, backups.slice(0, half));
    writeReport(root, "BACKUP_JOB_REPORT", day, 2, backups.slice(half));

    const copies: string[] = [];
    for (let n = 0; n < shape.copyJobsPerDay; n++) {
      const a = Math.floor(random() * shape.accounts);
      const res = resource(a, Math.floor(random() * RESOURCES_PER_ACCOUNT));
      copies.push(
        line("COPY_JOB_REPORT", {
          ...period,
          path_to_root: path_(a),
          account_id: account(a),
          region: res.region,
          copy_job_id: `copy-${dayIndex}-${n}`,
          job_status: random() < 0.9 - incident ? "COMPLETED" : pick(["FAILED", "PARTIAL", "ABORTED"]),
          resource_type: res.type,
          resource_arn: res.arn,
          creation_date: created(n * 97),
        }),
      );
    }
    writeReport(root, "COPY_JOB_REPORT", day, 1, copies);

    const restores: string[] = [];
    for (let n = 0; n < shape.restoreJobsPerDay; n++) {
      const a = Math.floor(random() * shape.accounts);
      const res = resource(a, Math.floor(random() * RESOURCES_PER_ACCOUNT));
      restores.push(
        line("RESTORE_JOB_REPORT", {
          ...period,
          path_to_root: path_(a),
          account_id: account(a),
          region: res.region,
          restore_job_id: `restore-${dayIndex}-${n}`,
          job_status: random() < 0.9 ? "COMPLETED" : pick(["FAILED", "ABORTED"]),
          source_resource_arn: res.arn,
          creation_date: created(n * 301),
        }),
      );
    }
    writeReport(root, "RESTORE_JOB_REPORT", day, 1, restores);

    const controls: string[] = [];
    const resources: string[] = [];
    for (let a = 0; a < shape.accounts; a++) {
      for (const region of REGIONS) {
        for (const control of CONTROLS) {
          const bad = random() < 0.1 + (a % 5 === 0 ? 0.3 : 0);
          controls.push(
            line("CONTROL_COMPLIANCE_REPORT", {
              account_id: account(a),
              region,
              framework_name: "org_backup_baseline",
              control_name: control,
              control_compliance_status: bad ? "NON_COMPLIANT" : "COMPLIANT",
              last_evaluation_time: created(a * 60),
              num_resources_compliant: String(Math.floor(random() * 50)),
              num_resources_non_compliant: bad ? String(1 + Math.floor(random() * 5)) : "0",
            }),
          );
          resources.push(
            line("RESOURCE_COMPLIANCE_REPORT", {
              account_id: account(a),
              region,
              framework_name: "org_backup_baseline",
              control_name: control,
              resource_id: `AWS::EC2::Volume/vol-${a}`,
              resource_type: "AWS::EC2::Volume",
              resource_compliance_status: bad && random() < 0.7 ? "NON_COMPLIANT" : "COMPLIANT",
              last_evaluation_time: created(a * 60 + 1),
            }),
          );
        }
      }
    }
    writeReport(root, "CONTROL_COMPLIANCE_REPORT", day, 1, controls);
    writeReport(root, "RESOURCE_COMPLIANCE_REPORT", day, 1, resources);
    total += backups.length + copies.length + restores.length + controls.length + resources.length;
  }
  return { rows: total, files: shape.days * 6 };
}
