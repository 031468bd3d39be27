import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadReportQueries, type ReportQueryName } from "../dashboard/data";
import { openLocalReports, type LocalReports, type Row } from "../queries/local-engine";
import type { ReportTemplate } from "../reports/templates";
import { reportCsv, reportKey, writeReportFile } from "./queries-fixture-bucket";

/**
 * The report queries take each job's latest row with max_by over ROWs, with the failure-only queries first keeping
 * the jobs that have a failure row. These cases pin the order that stands in for ORDER BY … DESC NULLS LAST:
 * a file without a sort column (NULL) never outranks one that has it, even an empty value; a completion date
 * beats none; a later period beats a failure of an earlier one; a final restore state beats RUNNING.
 */

const reportQueries = loadReportQueries();
const ALL = ["2026-03-01", "2026-03-31"];
const DAY = "2026-03-14";
const CREATED = `${DAY}T05:00:00Z`;

let bucket: string;
let reports: LocalReports;

function write(template: ReportTemplate, day: string, part: number, rows: Array<Record<string, string>>, without: readonly string[] = []): void {
  writeReportFile(bucket, reportKey(template, day, "org_plan", part), reportCsv(template, rows, without));
}

function period(day: string): Record<string, string> {
  const start = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { report_time_period_start: `${start}T00:00:00Z`, report_time_period_end: `${day}T00:00:00Z` };
}

function backup(account: string, job: string, status: string, completion: string): Record<string, string> {
  return {
    account_id: account,
    region: "us-east-1",
    backup_job_id: job,
    job_status: status,
    status_message: status === "FAILED" ? `${job} failed` : "",
    resource_type: "EBS",
    resource_arn: `arn:aws:ec2:us-east-1:${account}:volume/vol-${job}`,
    creation_date: CREATED,
    completion_date: completion,
  };
}

function restore(account: string, job: string, status: string): Record<string, string> {
  return {
    account_id: account,
    region: "us-east-1",
    restore_job_id: job,
    job_status: status,
    source_resource_arn: `arn:aws:ec2:us-east-1:${account}:volume/vol-${job}`,
    creation_date: CREATED,
  };
}

beforeAll(async () => {
  bucket = fs.mkdtempSync(path.join(os.tmpdir(), "report-dedup-"));
  const B = "BACKUP_JOB_REPORT";
  write(B, "2026-03-15", 1, [
    { ...period("2026-03-15"), ...backup("111111111111", "late-period", "FAILED", "2026-03-14T06:00:00Z") },
    { ...period("2026-03-15"), ...backup("222222222222", "no-period-column", "COMPLETED", "2026-03-14T06:00:00Z") },
  ]);
  write(B, "2026-03-16", 1, [
    { ...period("2026-03-16"), ...backup("111111111111", "late-period", "COMPLETED", "2026-03-15T06:00:00Z") },
    { ...period("2026-03-16"), ...backup("333333333333", "completion-date", "RUNNING", "") },
    { ...period("2026-03-16"), ...backup("333333333333", "completion-date", "FAILED", "2026-03-15T06:00:00Z") },
    { ...period("2026-03-16"), ...backup("444444444444", "empty-vs-absent", "RUNNING", "") },
  ]);
  // A later delivery whose file lacks the period end: its FAILED rows rank below every row that has one.
  write(B, "2026-03-16", 2, [
    { ...period("2026-03-16"), ...backup("222222222222", "no-period-column", "FAILED", "2026-03-15T07:00:00Z") },
  ], ["report_time_period_end"]);
  // Same period and day, no Completion Date column: NULL ranks below the empty value of part 1.
  write(B, "2026-03-16", 3, [{ ...period("2026-03-16"), ...backup("444444444444", "empty-vs-absent", "FAILED", "") }], ["completion_date"]);
  const R = "RESTORE_JOB_REPORT";
  write(R, "2026-03-16", 1, [
    { ...period("2026-03-16"), ...restore("555555555555", "restore-final", "RUNNING") },
    { ...period("2026-03-16"), ...restore("666666666666", "restore-pending", "PENDING") },
  ]);
  write(R, "2026-03-16", 2, [{ ...period("2026-03-16"), ...restore("555555555555", "restore-final", "FAILED") }]);
  reports = await openLocalReports(bucket);
}, 60_000);

afterAll(async () => {
  await reports?.close();
  if (bucket) fs.rmSync(bucket, { recursive: true, force: true });
});

async function run(name: ReportQueryName, params: readonly string[] = ALL): Promise<readonly Row[]> {
  return (await reports.query(reportQueries[name], [...params])).rows;
}

test("heat map: each job once, in the state its latest row has", async () => {
  expect(await run("report_backup_jobs_by_account_day")).toEqual([
    { account_id: "111111111111", job_day: DAY, jobs: 1, finished_jobs: 1, completed_jobs: 1, failed_jobs: 0 },
    { account_id: "222222222222", job_day: DAY, jobs: 1, finished_jobs: 1, completed_jobs: 1, failed_jobs: 0 },
    { account_id: "333333333333", job_day: DAY, jobs: 1, finished_jobs: 1, completed_jobs: 0, failed_jobs: 1 },
    { account_id: "444444444444", job_day: DAY, jobs: 1, finished_jobs: 0, completed_jobs: 0, failed_jobs: 0 },
  ]);
});

test("failure queries count only jobs whose latest row failed, though four jobs have a FAILED row", async () => {
  expect(await run("report_backup_failures_by_region_type")).toEqual([{ region: "us-east-1", resource_type: "EBS", failed_jobs: 1 }]);
  expect(await run("report_copy_restore_failures_by_day")).toEqual([{ job_day: DAY, job_kind: "restore", failed_jobs: 1 }]);
  expect((await run("report_recent_copy_restore_failures", [...ALL, "10"])).map((r) => [r.job_id, r.job_status])).toEqual([["restore-final", "FAILED"]]);
  expect((await run("report_worst_resources", [...ALL, "10"])).map((r) => [r.resource_arn, r.failed_jobs, r.last_message])).toEqual([
    ["arn:aws:ec2:us-east-1:333333333333:volume/vol-completion-date", 1, "completion-date failed"],
    ["arn:aws:ec2:us-east-1:555555555555:volume/vol-restore-final", 1, ""],
  ]);
});

test("a period that ends before the later rows: the earlier failure is then the latest", async () => {
  expect(await run("report_backup_failures_by_region_type", ["2026-03-15", "2026-03-15"])).toEqual([
    { region: "us-east-1", resource_type: "EBS", failed_jobs: 1 },
  ]);
  expect((await run("report_worst_resources", ["2026-03-15", "2026-03-15", "10"])).map((r) => r.resource_arn)).toEqual([
    "arn:aws:ec2:us-east-1:111111111111:volume/vol-late-period",
  ]);
});
