import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectReportFigures, loadReportQueries } from "../dashboard/data";
import { renderHtml } from "../dashboard/html";
import { renderMarkdown } from "../dashboard/markdown";
import { openLocalReports } from "../queries/local-engine";
import { generateReportsBucket, type ReportsBucketShape } from "./reports-bucket";

/**
 * `backup-audit report` on 100 accounts × 90 delivery days of generated reports (targets: build ≤ 20 s on
 * 2 cores, page ≤ 2 MB): the whole command in a fresh process (what a user waits for), then its phases
 * in-process (engine start-up, load, the eight queries, rendering).
 */

export const REPORT_BENCH_DATA: ReportsBucketShape = {
  days: 90,
  accounts: 100,
  backupJobsPerDay: 1200,
  copyJobsPerDay: 300,
  restoreJobsPerDay: 30,
};

const BIN = path.resolve(__dirname, "..", "..", "bin", "backup-audit.js");

export async function bench(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-bench-report-"));
  const out = path.join(root, "report.html");
  try {
    const t0 = performance.now();
    const { rows, files } = generateReportsBucket(path.join(root, "bucket"), REPORT_BENCH_DATA);
    console.log(
      `generated ${REPORT_BENCH_DATA.accounts} accounts × ${REPORT_BENCH_DATA.days} days: ${rows} rows in ${files} files (${Math.round(performance.now() - t0)} ms)`,
    );

    const t1 = performance.now();
    const child = spawnSync(process.execPath, [BIN, "report", "--reports", path.join(root, "bucket"), "--out", out], { encoding: "utf8" });
    const wall = performance.now() - t1;
    if (child.status !== 0) throw new Error(`backup-audit report failed (${child.status}): ${child.stderr}`);
    const size = fs.statSync(out).size;
    console.log(`backup-audit report, fresh process: ${(wall / 1000).toFixed(1)} s (target ≤ 20 s); page ${(size / 1024 / 1024).toFixed(2)} MB (target ≤ 2 MB)`);

    const p0 = performance.now();
    const reports = await openLocalReports(path.join(root, "bucket"));
    try {
      const p1 = performance.now();
      const figures = await collectReportFigures(reports, loadReportQueries(), { period: { from: null, to: null }, topN: 20 });
      const p2 = performance.now();
      const page = renderHtml({ figures, source: { kind: "local", folder: root, files: [], skippedFiles: 0 }, generatedAt: new Date().toISOString() });
      const markdown = renderMarkdown({ figures, source: { kind: "local", folder: root, files: [], skippedFiles: 0 }, generatedAt: "" });
      const p3 = performance.now();
      console.log(
        `in-process: engine start ${Math.round(reports.timings.engineStartMs)} ms, load ${Math.round(reports.timings.loadMs)} ms ` +
          `(open total ${Math.round(p1 - p0)} ms), 8 queries ${Math.round(p2 - p1)} ms, render ${Math.round(p3 - p2)} ms`,
      );
      console.log(
        `marks: ${Object.entries(page.marks).map(([k, v]) => `${k} ${v}`).join(", ")}; markdown ${Buffer.byteLength(markdown)} bytes`,
      );
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
