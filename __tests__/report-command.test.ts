import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildProgram } from "../cli/index";
import type { ReportCommandOptions } from "../cli/commands/report";
import { collectReportFigures, headline, loadReportQueries, type ReportFigures } from "../dashboard/data";
import { renderHtml } from "../dashboard/html";
import { findNamedQuery, loadNamedQueries } from "../queries/catalog";
import { openLocalReports } from "../queries/local-engine";
import { runReport } from "./helpers/run-report";
import { NEW_JOB, buildTestBucket } from "./queries-fixture-bucket";

// The fixture bucket (__tests__/queries-fixture-bucket.ts): the sample reports delivered 2026-03-15 plus a
// generated 2026-03-16 delivery that moves jobs on (E07 RUNNING -> FAILED, copy 604 and restore 404 end), adds
// accounts and jobs (N01-N04, copy C1), repeats N02 in a second part file, and delivers full compliance
// snapshots: the 03-15 rows with changes (see the compliance comments below).
let bucket: string;
let out: string;
beforeAll(() => {
  bucket = buildTestBucket();
});
afterAll(() => {
  if (bucket) fs.rmSync(bucket, { recursive: true, force: true });
});
beforeEach(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-report-"));
});
afterEach(() => {
  fs.rmSync(out, { recursive: true, force: true });
});

const run = (options: ReportCommandOptions): ReturnType<typeof runReport> => runReport(options);

async function localFigures(from: string | null, to: string | null): Promise<ReportFigures> {
  const reports = await openLocalReports(bucket);
  try {
    return await collectReportFigures(reports, loadReportQueries(), { period: { from, to }, topN: 20 });
  } finally {
    await reports.close();
  }
}

describe("report figures from the local engine (the fixture bucket)", () => {
  let figures: ReportFigures;
  beforeAll(async () => {
    figures = await localFigures(null, null);
  });

  test("coverage: rows and delivery days per report table", () => {
    expect(figures.coverage).toEqual([
      // 10 sample rows + 6 on 03-16 (E07, N01, N02, N03; N02 again in part 2; N04 in part 3). The stray file
      // outside the key layout is skipped, not read.
      { tableName: "backup_job_report", rowCount: 16, deliveryDays: 2, firstDay: "2026-03-15", lastDay: "2026-03-16" },
      // 12 + 12: the 03-16 snapshot drops 777788889999's cross-Region control and adds 999900001111's.
      { tableName: "control_compliance_report", rowCount: 24, deliveryDays: 2, firstDay: "2026-03-15", lastDay: "2026-03-16" },
      { tableName: "copy_job_report", rowCount: 8, deliveryDays: 2, firstDay: "2026-03-15", lastDay: "2026-03-16" },
      // 8 + 9: the 03-16 snapshot drops fs-0a1b2c3d4e5f60705 and adds vol-0999 under two controls.
      { tableName: "resource_compliance_report", rowCount: 17, deliveryDays: 2, firstDay: "2026-03-15", lastDay: "2026-03-16" },
      { tableName: "restore_job_report", rowCount: 6, deliveryDays: 2, firstDay: "2026-03-15", lastDay: "2026-03-16" },
    ]);
  });

  test("heat map cells: each job once, in its latest state (E07 RUNNING on 03-15, FAILED on 03-16)", () => {
    expect(figures.jobsByAccountDay).toEqual([
      { accountId: "000011112222", day: "2026-03-15", jobs: 2, finishedJobs: 2, completedJobs: 2, failedJobs: 0 },
      { accountId: "111122223333", day: "2026-03-14", jobs: 1, finishedJobs: 1, completedJobs: 1, failedJobs: 0 },
      { accountId: "123412341234", day: "2026-03-14", jobs: 3, finishedJobs: 3, completedJobs: 1, failedJobs: 2 },
      { accountId: "444455556666", day: "2026-03-14", jobs: 3, finishedJobs: 3, completedJobs: 2, failedJobs: 1 },
      { accountId: "444455556666", day: "2026-03-15", jobs: 1, finishedJobs: 1, completedJobs: 0, failedJobs: 1 },
      { accountId: "777788889999", day: "2026-03-14", jobs: 3, finishedJobs: 3, completedJobs: 2, failedJobs: 1 },
      { accountId: "999900001111", day: "2026-03-15", jobs: 1, finishedJobs: 1, completedJobs: 0, failedJobs: 1 },
    ]);
  });

  test("failures per Region and type, non-compliance per OU and account, copy and restore failures", () => {
    expect(figures.failuresByRegionType).toEqual([
      { region: "eu-west-1", resourceType: "EBS", failedJobs: 1 },
      { region: "eu-west-1", resourceType: "RDS", failedJobs: 1 },
      { region: "us-east-1", resourceType: "Aurora", failedJobs: 1 },
      { region: "us-east-1", resourceType: "EBS", failedJobs: 1 },
      { region: "us-east-1", resourceType: "EC2", failedJobs: 1 },
      { region: "us-east-1", resourceType: "EFS", failedJobs: 1 },
    ]);
    // Compliance is a snapshot: the plan's 03-16 delivery replaces its 03-15 one (see the 03-15 test).
    // 444455556666: of its 5 failing controls, BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN is fixed (4 left);
    // orders-db is compliant again. 777788889999: its cross-Region control is no longer listed (5 -> 4) and
    // fs-0a1b2c3d4e5f60705 is gone. 123412341234: billing-aurora still fails. 999900001111: one new failing
    // control, and vol-0999 fails two controls but is one resource.
    expect(figures.nonCompliance).toEqual([
      { ouId: "ou-ab12-dev22222", pathToRoot: "r-ab12/ou-ab12-dev22222/123412341234", accountId: "123412341234", nonCompliantControls: 0, nonCompliantResources: 1 },
      { ouId: "ou-ab12-prod1111", pathToRoot: "r-ab12/ou-ab12-prod1111/444455556666", accountId: "444455556666", nonCompliantControls: 4, nonCompliantResources: 0 },
      { ouId: "ou-ab12-prod1111", pathToRoot: "r-ab12/ou-ab12-prod1111/777788889999", accountId: "777788889999", nonCompliantControls: 4, nonCompliantResources: 0 },
      { ouId: "ou-ab12-sec33333", pathToRoot: "r-ab12/ou-ab12-sec33333/999900001111", accountId: "999900001111", nonCompliantControls: 1, nonCompliantResources: 1 },
    ]);
    expect(figures.copyRestoreByDay).toEqual([
      { day: "2026-03-14", kind: "copy", failedJobs: 2 },
      { day: "2026-03-14", kind: "restore", failedJobs: 2 },
      { day: "2026-03-15", kind: "copy", failedJobs: 1 },
    ]);
    expect(figures.recentCopyRestoreFailures.map((r) => [r.kind, r.status, r.jobId])).toEqual([
      ["copy", "ABORTED", NEW_JOB.copyC1],
      ["restore", "ABORTED", "4CACA67D-4E12-DC05-6C2B-0E97D01FA404"],
      ["restore", "FAILED", "4CACA67D-4E12-DC05-6C2B-0E97D01FA403"],
      ["copy", "PARTIAL", "E0AD48A9-0560-B668-3EF0-941FDC0AD604"],
      ["copy", "FAILED", "E0AD48A9-0560-B668-3EF0-941FDC0AD603"],
    ]);
    expect(figures.accountsWithoutCompletedBackup).toEqual([{ accountId: "999900001111", backupJobs: 1 }]);
  });

  test("worst resources: ranked by failed jobs of all kinds, with the latest backup failure message", () => {
    expect(figures.worstResources.length).toBe(10);
    expect(figures.worstResources[0]).toEqual({
      rank: 1,
      resourceArn: "arn:aws:s3:::acme-analytics-raw-777788889999",
      accountId: "777788889999",
      region: "eu-west-1",
      resourceType: "S3",
      failedJobs: 2,
      failedBackupJobs: 0,
      failedCopyJobs: 1,
      failedRestoreJobs: 1,
      lastFailure: "2026-03-14T10:23:05.503Z",
      lastMessage: "",
    });
    expect(figures.worstResources.find((r) => r.resourceArn === "arn:aws:rds:eu-west-1:444455556666:db:orders-db")).toMatchObject({
      failedJobs: 1,
      failedBackupJobs: 1,
      lastMessage: "Backup job failed because the IAM role does not have permission to call rds:CreateDBSnapshot.",
    });
    expect(figures.worstResources.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test("non-compliant controls per account agree with the named query non_compliant_controls_in_region", async () => {
    // Same latest-snapshot rule (each plan's latest delivery per scope, then the latest evaluation) as issue 9's
    // compliance queries, over the whole stored period.
    const reports = await openLocalReports(bucket);
    try {
      const perAccount = new Map<string, number>();
      for (const region of ["us-east-1", "eu-west-1"]) {
        const result = await reports.query(findNamedQuery(loadNamedQueries(), "non_compliant_controls_in_region"), [region]);
        for (const row of result.rows) perAccount.set(String(row.account_id), (perAccount.get(String(row.account_id)) ?? 0) + 1);
      }
      const fromReport = new Map(figures.nonCompliance.filter((r) => r.nonCompliantControls > 0).map((r) => [r.accountId, r.nonCompliantControls]));
      expect(fromReport).toEqual(perAccount);
      expect(perAccount).toEqual(new Map([["444455556666", 4], ["777788889999", 4], ["999900001111", 1]]));
    } finally {
      await reports.close();
    }
  });

  test("headline figures add up from the chart data", () => {
    expect(headline(figures)).toEqual({
      jobs: 14,
      finishedJobs: 14,
      completedJobs: 8,
      failedJobs: 6,
      successRatePct: 57.1,
      nonCompliantControls: 9,
      nonCompliantResources: 2,
      accountsWithoutCompletedBackup: 1,
    });
  });

  test("--from/--to keep only the period's deliveries: on 03-16 alone, E07 and the new jobs", async () => {
    const day16 = await localFigures("2026-03-16", "2026-03-16");
    expect(day16.coverage.map((c) => [c.tableName, c.rowCount, c.firstDay])).toEqual([
      ["backup_job_report", 6, "2026-03-16"],
      ["control_compliance_report", 12, "2026-03-16"],
      ["copy_job_report", 2, "2026-03-16"],
      ["resource_compliance_report", 9, "2026-03-16"],
      ["restore_job_report", 1, "2026-03-16"],
    ]);
    // E07 (FAILED now), N01 and N04 failed, N02 (once) and N03 completed; the 03-16 snapshot alone.
    expect(headline(day16)).toMatchObject({ jobs: 5, completedJobs: 2, failedJobs: 3, nonCompliantControls: 9, nonCompliantResources: 2 });
    // Before the 03-16 delivery moved it on, E07 was still RUNNING: not finished, not failed.
    const day15 = await localFigures("2026-03-15", "2026-03-15");
    expect(day15.jobsByAccountDay.find((r) => r.accountId === "123412341234")).toEqual({
      accountId: "123412341234", day: "2026-03-14", jobs: 3, finishedJobs: 2, completedJobs: 1, failedJobs: 1,
    });
    // The 03-15 compliance snapshot: the sample files' controls and resources; 123412341234 has no failing
    // control but one failing resource, and its OU comes from its job reports.
    expect(day15.nonCompliance).toEqual([
      { ouId: "ou-ab12-dev22222", pathToRoot: "r-ab12/ou-ab12-dev22222/123412341234", accountId: "123412341234", nonCompliantControls: 0, nonCompliantResources: 1 },
      { ouId: "ou-ab12-prod1111", pathToRoot: "r-ab12/ou-ab12-prod1111/444455556666", accountId: "444455556666", nonCompliantControls: 5, nonCompliantResources: 1 },
      { ouId: "ou-ab12-prod1111", pathToRoot: "r-ab12/ou-ab12-prod1111/777788889999", accountId: "777788889999", nonCompliantControls: 5, nonCompliantResources: 1 },
    ]);
    expect(headline(day15)).toMatchObject({ nonCompliantControls: 10, nonCompliantResources: 3 });
  });
});

describe("backup-audit report (command)", () => {
  test("writes one self-contained page: marks per chart, CSP, no script, no external reference", async () => {
    const file = path.join(out, "report.html");
    const r = await run({ reports: bucket, out: file });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: notes\/accounts\.csv: skipped/m);
    expect(r.stderr).toMatch(/^wrote .*report\.html \(\d+ KiB\)$/m);
    const html = fs.readFileSync(file, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|href=/i);
    // The only URL is the SVG namespace, which is a name, not a request.
    expect([...html.matchAll(/https?:\/\/[^"\s<]+/g)].map((m) => m[0]).every((u) => u === "http://www.w3.org/2000/svg")).toBe(true);
    expect(html).toContain("Period: <strong>2026-03-15 – 2026-03-16</strong>");
    expect(html).toContain("Source: 12 report file(s) under");
    expect(html).toContain("2 other file(s) skipped");
    expect(html).toContain("<code>audit/reports/BackupJob/Backup/crossaccount/crossregion/2026/03/16/org_plan/backup_job_report_org_plan_2026-03-15t00:00:00z_2026-03-16t00:00:00z_3.csv</code>");
    expect(html).toContain("Generated 2026-03-17T08:00:00.000Z");

    const marks = (id: string): number => {
      const fig = html.slice(html.indexOf(`<figure id="fig-${id}"`), html.indexOf("</figure>", html.indexOf(`<figure id="fig-${id}"`)));
      return (fig.match(/<rect class="mark /g) ?? []).length;
    };
    expect({ heat: marks("job-success"), regionType: marks("failures-region-type"), nc: marks("non-compliance"), cr: marks("copy-restore") }).toEqual({
      heat: 7,
      regionType: 6,
      nc: 3, // 123412341234 has a row but no failing control: no bar
      cr: 3,
    });
    // Every chart: an accessible name on the SVG, a caption, and its numbers in a table.
    for (const id of ["job-success", "failures-region-type", "non-compliance", "copy-restore"]) {
      const start = html.indexOf(`<figure id="fig-${id}"`);
      const fig = html.slice(start, html.indexOf("</figure>", start));
      expect(fig).toMatch(/<svg class="chart [a-z]+" role="img" aria-label="[^"]+"/);
      expect(fig).toContain(`<figcaption id="cap-${id}">`);
      expect(fig).toMatch(/<details><summary>Numbers for this chart<\/summary><div class="scroll"><table( class="pivot")?><caption>/);
    }
    expect(html).toContain(
      '<td>1/3</td><td></td><td>1/3 (33.3 %)</td>',
    );
    expect(html).toContain("<code>arn:aws:rds:eu-west-1:444455556666:db:orders-db</code>");
  });

  test("--format markdown prints the summary to stdout", async () => {
    const r = await run({ reports: bucket, format: "markdown" });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("### Backup audit report, 2026-03-15 – 2026-03-16");
    expect(r.stdout).toContain("| 14 | 57.1 % | 6 | 9 | 2 | 1 |");
    expect(r.stdout).toContain("**Non-compliant controls:** `444455556666` (ou-ab12-prod1111) 4, `777788889999` (ou-ab12-prod1111) 4, `999900001111` (ou-ab12-sec33333) 1");
    expect(r.stdout).toContain("**Accounts with the most failed backup jobs:** `123412341234` 2, `444455556666` 2, `777788889999` 1, `999900001111` 1");
    expect(r.stdout).toContain("**Accounts without a completed backup:** `999900001111`");
    expect(r.stdout).toContain("- `arn:aws:s3:::acme-analytics-raw-777788889999`: 2 failed job(s)");
    expect(r.stdout).toContain("Failed copy jobs: 3; failed restore jobs: 2.");
    expect(r.stdout).toContain(
      "Report files read: 0 from the bucket's normalised copies (what Athena reads), 0 from the local cache, 12 normalised now.",
    );
  });

  test("--cache: the footer and --verbose say where the files came from; the second page is the first, read from the cache", async () => {
    const cache = path.join(out, "cache");
    const pages: string[] = [];
    const stderr: string[] = [];
    for (const options of [{ cache }, { cache }, { cache: false as const }]) {
      const file = path.join(out, `report-${pages.length}.html`);
      const r = await run({ reports: bucket, out: file, verbose: true, ...options });
      expect(r.code).toBe(0);
      pages.push(fs.readFileSync(file, "utf8"));
      stderr.push(r.stderr);
    }
    const footer = (html: string): string => /<p class="origins">([^<]*)<\/p><\/footer>/.exec(html)![1].replace(/&#39;/g, "'");
    expect(pages.map(footer)).toEqual([
      "Report files read: 0 from the bucket's normalised copies (what Athena reads), 0 from the local cache, 12 normalised now.",
      "Report files read: 0 from the bucket's normalised copies (what Athena reads), 12 from the local cache, 0 normalised now.",
      "Report files read: 0 from the bucket's normalised copies (what Athena reads), 0 from the local cache, 12 normalised now.",
    ]);
    expect(stderr[1]).toMatch(/^report files: 12 — 0 from the bucket's normalised copies, 12 from the cache, 0 normalised now$/m);
    expect(stderr[1]).toMatch(/^engine start \d+ ms, loaded 12 file\(s\) \/ 71 row\(s\) in \d+ ms, queries \d+ ms, total \d+ ms$/m);
    const body = (html: string): string => html.replace(/<p class="origins">[^<]*<\/p>/, "");
    expect(body(pages[1])).toBe(body(pages[0]));
    expect(body(pages[2])).toBe(body(pages[0]));
  });

  test.each<[string, ReportCommandOptions, RegExp]>([
    ["no source", { out: "x.html" }, /name the data: --reports <folder> .* or --athena --workgroup <name>/],
    ["both sources", { reports: "r", athena: true, workgroup: "wg", out: "x.html" }, /--reports and --athena exclude each other/],
    ["athena without workgroup", { athena: true, out: "x.html" }, /--athena needs --workgroup <name>/],
    ["workgroup without athena", { reports: "r", workgroup: "wg", out: "x.html" }, /--workgroup only applies with --athena/],
    ["html without --out", { reports: "r" }, /--out <file> is required for --format html/],
    ["bad day", { reports: "r", out: "x.html", from: "2026-02-30" }, /--from "2026-02-30" is not a day; write it as YYYY-MM-DD/],
    ["reversed period", { reports: "r", out: "x.html", from: "2026-03-16", to: "2026-03-15" }, /--from 2026-03-16 is after --to 2026-03-15; swap them/],
    ["bad --top", { reports: "r", out: "x.html", top: "0" }, /--top "0" must be a whole number from 1 to 1000/],
    ["bad format", { reports: "r", out: "x.html", format: "pdf" }, /unknown --format "pdf"; use one of html, markdown/],
  ])("wrong invocation (%s): exit 2 with the fix, nothing written", async (_name, options, message) => {
    const r = await run({ ...options, out: options.out === undefined ? undefined : path.join(out, options.out) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("a period without deliveries exits 1; a missing reports or --out folder exits 2; nothing written", async () => {
    const file = path.join(out, "report.html");
    const empty = await run({ reports: bucket, out: file, from: "2027-01-01" });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no report row was delivered between 2027-01-01 and the last delivery: nothing to report/);
    const missing = await run({ reports: path.join(out, "nope"), out: file });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/reports folder not found: .*nope/);
    const noDir = await run({ reports: bucket, out: path.join(out, "sub", "report.html") });
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/--out .*report\.html: folder .*sub does not exist; create it first/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("examples/reports (the sample bucket of the README) holds the fixtures byte for byte and builds a page", async () => {
    const examples = path.join(__dirname, "..", "examples", "reports");
    const pairs: Array<[string, string]> = [
      ["BackupJob", "BACKUP_JOB_REPORT"],
      ["CopyJob", "COPY_JOB_REPORT"],
      ["RestoreJob", "RESTORE_JOB_REPORT"],
      ["ControlCompliance", "CONTROL_COMPLIANCE_REPORT"],
      ["ResourceCompliance", "RESOURCE_COMPLIANCE_REPORT"],
    ];
    for (const [prefix, template] of pairs) {
      const file = path.join(examples, prefix, "Backup/crossaccount/crossregion/2026/03/15/org_plan", `${template.toLowerCase()}_org_plan_1.csv`);
      expect(fs.readFileSync(file, "utf8")).toBe(fs.readFileSync(path.join(__dirname, "fixtures", "reports", `${template}.csv`), "utf8"));
    }
    const file = path.join(out, "example.html");
    const r = await run({ reports: examples, out: file });
    expect([r.code, r.stderr.split("\n").filter((l) => l.startsWith("warning:"))]).toEqual([0, []]);
    expect(fs.readFileSync(file, "utf8")).toContain("Period: <strong>2026-03-15 – 2026-03-15</strong>");
  });

  test("registered in the CLI with its options", () => {
    const report = buildProgram().commands.find((c) => c.name() === "report");
    expect(report?.options.map((o) => o.long)).toEqual([
      "--reports", "--athena", "--workgroup", "--database", "--region", "--from", "--to", "--format", "--out", "--top",
      "--cache", "--no-cache", "--verbose",
    ]);
  });
});

describe("rendering", () => {
  test("report values are escaped: a status message cannot inject markup", async () => {
    const figures = await localFigures(null, null);
    const hostile: ReportFigures = {
      ...figures,
      worstResources: [{ ...figures.worstResources[0], lastMessage: `<script>alert("x")</script>`, resourceArn: "arn:aws:s3:::a&b" }],
    };
    const { html } = renderHtml({ figures: hostile, source: { kind: "local", folder: "/r", files: [], skippedFiles: 0 }, generatedAt: "t" });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("<code>arn:aws:s3:::a&amp;b</code>");
  });

  test("empty sections say so instead of drawing an empty chart", async () => {
    const figures = await localFigures(null, null);
    const quiet: ReportFigures = { ...figures, copyRestoreByDay: [], recentCopyRestoreFailures: [], failuresByRegionType: [] };
    const page = renderHtml({ figures: quiet, source: { kind: "athena", workgroup: "wg", database: "db", queryExecutionIds: ["q1"] }, generatedAt: "t" });
    expect(page.marks).toEqual({ "job-success": 7, "failures-region-type": 0, "non-compliance": 3, "copy-restore": 0 });
    expect(page.html).toContain('<p class="empty">No failed copy or restore job in the period.</p>');
    expect(page.html).toContain('<p class="empty">No failed backup job in the period.</p>');
    expect(page.html).toContain("Source: Athena workgroup wg, database db (1 query executions).");
  });
});
