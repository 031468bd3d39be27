import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadNamedQueries, type NamedQuery } from "../queries/catalog";
import { openLocalReports } from "../queries/local-engine";
import { templateSpec, type ReportTemplate } from "../reports/templates";

/**
 * Local query engine figures on a generated bucket copy: engine start-up, load time, and per named query the
 * first and the median of three runs. Data: 14 delivery days × 5 templates, ~50k rows in all (the job reports
 * in two part files a day), deterministic (seeded), so runs compare.
 */

const DAYS = 14;
const ACCOUNTS = 30;
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];
const BACKUP_JOBS_PER_DAY = 2000;
const COPY_JOBS_PER_DAY = 500;
const RESTORE_JOBS_PER_DAY = 100;
const CONTROLS = [
  "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
  "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
  "BACKUP_RECOVERY_POINT_ENCRYPTED",
  "BACKUP_LAST_RECOVERY_POINT_CREATED",
];
const RESOURCES_PER_ACCOUNT_REGION = 1;

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

/** Writes the dataset; returns the number of data rows. */
export function generateBenchBucket(root: string): number {
  const random = rng(20260315);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const account = (i: number): string => String(100000000000 + i * 7919).padStart(12, "0");
  const path_ = (i: number): string => `r-ab12/ou-ab12-${i % 3 === 0 ? "dev" : "prod"}${i % 3}/${account(i)}`;
  let total = 0;
  for (let dayIndex = 0; dayIndex < DAYS; dayIndex++) {
    const day = new Date(Date.UTC(2026, 2, 2 + dayIndex));
    const periodEnd = day.toISOString().slice(0, 10) + "T00:00:00Z";
    const periodStart = new Date(day.getTime() - 86_400_000).toISOString().slice(0, 10) + "T00:00:00Z";
    const created = (n: number): string =>
      new Date(day.getTime() - 86_400_000 + (n % 86_400) * 1000).toISOString();
    const period = { report_time_period_start: periodStart, report_time_period_end: periodEnd };

    const backups: string[] = [];
    for (let n = 0; n < BACKUP_JOBS_PER_DAY; n++) {
      // The last account runs no backup job at all: accounts_without_completed_backup has something to find.
      const a = Math.floor(random() * (ACCOUNTS - 1));
      const region = pick(REGIONS);
      const r = random();
      const status = r < 0.85 ? "COMPLETED" : r < 0.92 ? "FAILED" : r < 0.95 ? "ABORTED" : r < 0.98 ? "EXPIRED" : "RUNNING";
      const withIssue = status === "COMPLETED" && random() < 0.03;
      backups.push(
        line("BACKUP_JOB_REPORT", {
          ...period,
          path_to_root: path_(a),
          account_id: account(a),
          region,
          backup_job_id: `job-${dayIndex}-${n}`,
          job_status: status,
          status_message: status === "COMPLETED" ? (withIssue ? "Windows VSS Backup attempt failed." : "") : "failed",
          resource_type: pick(["EC2", "EBS", "RDS", "EFS", "S3", "DynamoDB"]),
          resource_arn: `arn:aws:ec2:${region}:${account(a)}:volume/vol-${n}`,
          creation_date: created(n * 31),
          completion_date: status === "RUNNING" ? "" : created(n * 31 + 600),
          backup_size_in_bytes: String(Math.floor(random() * 2 ** 36)),
          backup_vault_name: "org-central-vault",
        }),
      );
    }
    // Split like a report over 50 MB: two part files.
    writeReport(root, "BACKUP_JOB_REPORT", day, 1, backups.slice(0, BACKUP_JOBS_PER_DAY / 2));
    writeReport(root, "BACKUP_JOB_REPORT", day, 2, backups.slice(BACKUP_JOBS_PER_DAY / 2));

    const copies: string[] = [];
    for (let n = 0; n < COPY_JOBS_PER_DAY; n++) {
      const a = Math.floor(random() * ACCOUNTS);
      copies.push(
        line("COPY_JOB_REPORT", {
          ...period,
          path_to_root: path_(a),
          account_id: account(a),
          region: pick(REGIONS),
          copy_job_id: `copy-${dayIndex}-${n}`,
          job_status: random() < 0.9 ? "COMPLETED" : pick(["FAILED", "PARTIAL", "ABORTED"]),
          creation_date: created(n * 97),
        }),
      );
    }
    writeReport(root, "COPY_JOB_REPORT", day, 1, copies);

    const restores: string[] = [];
    for (let n = 0; n < RESTORE_JOBS_PER_DAY; n++) {
      const a = Math.floor(random() * ACCOUNTS);
      restores.push(
        line("RESTORE_JOB_REPORT", {
          ...period,
          path_to_root: path_(a),
          account_id: account(a),
          region: pick(REGIONS),
          restore_job_id: `restore-${dayIndex}-${n}`,
          job_status: random() < 0.9 ? "COMPLETED" : pick(["FAILED", "ABORTED"]),
          creation_date: created(n * 301),
        }),
      );
    }
    writeReport(root, "RESTORE_JOB_REPORT", day, 1, restores);

    const controls: string[] = [];
    const resources: string[] = [];
    for (let a = 0; a < ACCOUNTS; a++) {
      for (const region of REGIONS) {
        for (const control of CONTROLS) {
          const bad = random() < 0.3;
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
          for (let r = 0; r < RESOURCES_PER_ACCOUNT_REGION; r++) {
            resources.push(
              line("RESOURCE_COMPLIANCE_REPORT", {
                account_id: account(a),
                region,
                framework_name: "org_backup_baseline",
                control_name: control,
                resource_id: `AWS::EC2::Volume/vol-${a}-${r}`,
                resource_type: "AWS::EC2::Volume",
                resource_compliance_status: random() < 0.2 ? "NON_COMPLIANT" : "COMPLIANT",
                last_evaluation_time: created(a * 60 + r),
              }),
            );
          }
        }
      }
    }
    writeReport(root, "CONTROL_COMPLIANCE_REPORT", day, 1, controls);
    writeReport(root, "RESOURCE_COMPLIANCE_REPORT", day, 1, resources);
    total += backups.length + copies.length + restores.length + controls.length + resources.length;
  }
  return total;
}

const BENCH_PARAMS: Record<string, string[]> = {
  non_compliant_controls_in_region: ["eu-west-1"],
  non_compliant_controls_in_ou: ["ou-ab12-prod1"],
  non_compliant_resources_for_control: ["BACKUP_LAST_RECOVERY_POINT_CREATED"],
  failed_backup_jobs_in_region: ["us-east-1"],
  failed_restore_jobs_in_region: ["us-east-1"],
  aborted_copy_jobs_in_region: ["us-east-1"],
  accounts_without_completed_backup: ["2026-03-02", "2026-03-15"],
  largest_backups: ["20"],
};

function paramsFor(query: NamedQuery): string[] {
  const params = BENCH_PARAMS[query.name];
  if (params !== undefined) return params;
  if (query.params.length === 0) return [];
  throw new Error(`bench/queries.ts has no parameters for ${query.name}: add them to BENCH_PARAMS`);
}

export async function bench(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-bench-queries-"));
  try {
    const t0 = performance.now();
    const rows = generateBenchBucket(root);
    console.log(`generated ${rows} rows in ${DAYS * 6} files: ${Math.round(performance.now() - t0)} ms`);
    const reports = await openLocalReports(root);
    try {
      console.log(`engine start-up: ${Math.round(reports.timings.engineStartMs)} ms`);
      console.log(`load ${reports.files.length} files: ${Math.round(reports.timings.loadMs)} ms`);
      for (const query of loadNamedQueries()) {
        const params = paramsFor(query);
        const times: number[] = [];
        let count = 0;
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          count = (await reports.run(query, params)).length;
          times.push(performance.now() - t);
        }
        const median = [...times].sort((a, b) => a - b)[1];
        console.log(
          `${query.name}: first ${times[0].toFixed(1)} ms, median of 3 ${median.toFixed(1)} ms (${count} rows)`,
        );
      }
    } finally {
      await reports.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  bench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
