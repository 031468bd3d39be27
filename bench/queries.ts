import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadNamedQueries, type NamedQuery } from "../queries/catalog";
import { openLocalReports } from "../queries/local-engine";
import { generateReportsBucket } from "./reports-bucket";

/**
 * Local query engine figures on a generated bucket copy: engine start-up, load time, and per named query the
 * first and the median of three runs. Data: 14 delivery days × 5 templates, ~50k rows in all (the job reports
 * in two part files a day), deterministic (seeded), so runs compare.
 */

/** 14 delivery days, 30 accounts, ~50k rows. */
const QUERY_BENCH_DATA = { days: 14, accounts: 30, backupJobsPerDay: 2000, copyJobsPerDay: 500, restoreJobsPerDay: 100 };

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
    const { rows, files } = generateReportsBucket(root, QUERY_BENCH_DATA);
    console.log(`generated ${rows} rows in ${files} files: ${Math.round(performance.now() - t0)} ms`);
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
