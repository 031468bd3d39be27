import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { parse } from "csv-parse/sync";
import { runQueryCommand } from "../cli/commands/query";
import { createHandler } from "../lambdas/partitioner/handler";
import { loadNamedQueries, findNamedQuery } from "../queries/catalog";
import { openLocalReports, openNormalizedReports, type LocalReports, type Row } from "../queries/local-engine";
import { REPORT_DRIFT_METRIC } from "../reports/drift-metric";
import { reportTablesForPlans } from "../reports/report-tables";
import { allTemplateSpecs, columnForHeader, type ReportTemplate } from "../reports/templates";
import { FIXTURE_EVENT } from "./partitioner-fixtures";
import { FIXTURES_DIR, KEY_PREFIX, VARIANT_FILE, buildTestBucket } from "./queries-fixture-bucket";
import { startS3rver, type S3Server } from "./helpers/s3rver";

/**
 * The same report data in every layout the issue names — reordered columns, enhanced-context columns, an
 * unknown column in the middle, single-account next to organization files, split `_2` parts, and minimal
 * quoting with CRLF and a BOM (the baseline already carries a field with a comma, doubled quotes and a line
 * break) — must give every named query exactly the baseline's rows, through `backup-audit query` (local) and
 * through the Lambda handler against a real S3-protocol server. The baseline's own rows are asserted value by
 * value in queries-local.test.ts.
 */

const BUCKET = "variants-bucket";
const queries = loadNamedQueries();

/** Every named query with the parameters the exact-row tests use. */
const CALLS: Array<[string, string[]]> = [
  ["non_compliant_controls_in_region", ["us-east-1"]],
  ["non_compliant_controls_in_region", ["eu-west-1"]],
  ["non_compliant_controls_in_ou", ["ou-ab12-prod1111"]],
  ["non_compliant_controls_in_ou", ["ou-ab12-sec33333"]],
  ["non_compliant_resources_for_control", ["BACKUP_LAST_RECOVERY_POINT_CREATED"]],
  ["non_compliant_resources_for_control", ["BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK"]],
  ["failed_backup_jobs_in_region", ["us-east-1"]],
  ["failed_backup_jobs_in_region", ["eu-west-1"]],
  ["failed_restore_jobs_in_region", ["eu-west-1"]],
  ["aborted_copy_jobs_in_region", ["us-east-1"]],
  ["aborted_copy_jobs_in_region", ["eu-west-1"]],
  ["backup_job_success_rate_by_account_day", []],
  ["resources_failing_controls_across_accounts", []],
  ["accounts_without_completed_backup", ["2026-03-15", "2026-03-16"]],
  ["accounts_without_completed_backup", ["2026-03-16", "2026-03-16"]],
  ["largest_backups", ["3"]],
  ["backup_jobs_completed_with_issues", []],
];

interface CsvFile {
  /** Key below the bucket folder. */
  key: string;
  template: ReportTemplate;
  header: string[];
  rows: string[][];
}

interface Rendering {
  readonly crlf?: boolean;
  readonly bom?: boolean;
  /** Quote only fields that need it (default: every field, as AWS writes them). */
  readonly minimalQuotes?: boolean;
}

function field(value: string, minimal: boolean): string {
  return minimal && !/[",\r\n]/.test(value) ? value : `"${value.replace(/"/g, '""')}"`;
}

function render(file: CsvFile, how: Rendering = {}): string {
  const eol = how.crlf ? "\r\n" : "\n";
  const lines = [file.header, ...file.rows].map((r) => r.map((v) => field(v, how.minimalQuotes ?? false)).join(","));
  return (how.bom ? "\uFEFF" : "") + lines.join(eol) + eol;
}

function templateOf(key: string): ReportTemplate {
  const name = key.split("/").pop()!;
  return allTemplateSpecs().find((s) => name.startsWith(s.fileNamePrefix))!.template;
}

/** The baseline's report files (the valid ones: stray and foreign files are not part of the data). */
function readReports(root: string): CsvFile[] {
  const out: CsvFile[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith(".csv") && abs.includes(`${path.sep}Backup${path.sep}`)) {
        const key = path.relative(root, abs).split(path.sep).join("/");
        const [header, ...rows] = parse(fs.readFileSync(abs), { bom: true }) as string[][];
        out.push({ key, template: templateOf(key), header, rows });
      }
    }
  };
  walk(root);
  return out;
}

/** Applies a column order (indexes into the file's columns) to header and rows. */
function reorder(file: CsvFile, order: number[]): CsvFile {
  return { ...file, header: order.map((i) => file.header[i]), rows: file.rows.map((r) => order.map((i) => r[i])) };
}

const ENHANCED_HEADER = (parse(fs.readFileSync(path.join(FIXTURES_DIR, VARIANT_FILE)), { bom: true, to: 1 }) as string[][])[0];

interface Variant {
  readonly name: string;
  readonly files: (baseline: CsvFile[]) => CsvFile[];
  readonly rendering?: Rendering;
  /** What makes this variant what it says (checked, so a variant cannot silently degrade to the baseline). */
  readonly shows: (files: CsvFile[], text: (f: CsvFile) => string) => boolean;
  /** Warnings `backup-audit query` must print for this variant (drift), one per matching file. */
  readonly warning?: RegExp;
}

const VARIANTS: Variant[] = [
  {
    name: "reordered columns",
    files: (b) => b.map((f) => reorder(f, f.header.map((_, i) => f.header.length - 1 - i))),
    shows: (files) => files.every((f) => f.header[f.header.length - 1] !== "Report Time Period End" || f.header.length === 1),
  },
  {
    // The enhanced-context layout of the fixture (its spellings and order), columns it lacks at the end.
    name: "enhanced-context columns",
    files: (b) =>
      b.map((f) => {
        if (f.template !== "BACKUP_JOB_REPORT") return f;
        const names = f.header.map((h) => columnForHeader(f.template, h)!.name);
        // The fixture's spellings in its order, for the columns this file has (the 03-15 file predates some).
        const present = ENHANCED_HEADER.filter((h) => names.includes(columnForHeader(f.template, h)!.name));
        const first = present.map((h) => names.indexOf(columnForHeader(f.template, h)!.name));
        const rest = names.map((_, i) => i).filter((i) => !first.includes(i));
        const out = reorder(f, [...first, ...rest]);
        return { ...out, header: [...present, ...rest.map((i) => f.header[i])] };
      }),
    shows: (files) => files.some((f) => f.header.indexOf("Resource Name") === 9 && f.header.indexOf("Vault Type") > 20),
  },
  {
    name: "an unknown column in the middle",
    files: (b) =>
      b.map((f) => {
        const mid = Math.floor(f.header.length / 2);
        const insert = <T>(xs: T[], x: T): T[] => [...xs.slice(0, mid), x, ...xs.slice(mid)];
        return { ...f, header: insert(f.header, "Backup Cost Center"), rows: f.rows.map((r, i) => insert(r, `cc-${i}, "x"`)) };
      }),
    shows: (files) => files.every((f) => f.header.indexOf("Backup Cost Center") === Math.floor((f.header.length - 1) / 2)),
    warning: /^warning: .*\.csv: new header signature [0-9a-f]{16}: unknown headers Backup Cost Center \(kept in unknown_columns; add them to reports\/templates\.ts\)$/,
  },
  {
    // One account's backup jobs delivered by its own plan: no Path To Root, no Account Id (the key names it).
    name: "single-account next to organization files",
    files: (b) =>
      b.flatMap((f) => {
        if (f.template !== "BACKUP_JOB_REPORT") return [f];
        const account = f.header.indexOf("Account Id");
        const mine = f.rows.filter((r) => r[account] === "777788889999");
        if (mine.length === 0) return [f];
        const keep = f.header.map((_, i) => i).filter((i) => !["Path To Root", "Account Id"].includes(f.header[i]));
        const single = reorder({ ...f, rows: mine }, keep);
        const parts = f.key.split("/");
        const n = parts.length;
        const plan = "acct_plan";
        const fileName = parts[n - 1].replace(/^backup_job_report_org_plan_/, `backup_job_report_${plan}_`);
        // <prefix>/Backup/crossaccount/crossregion/YYYY/MM/DD/org_plan/<file> → <prefix>/Backup/<account>/crossregion/YYYY/MM/DD/acct_plan/<file>
        const key = [...parts.slice(0, n - 8), "Backup", "777788889999", "crossregion", ...parts.slice(n - 5, n - 2), plan, fileName].join("/");
        return [{ ...f, rows: f.rows.filter((r) => r[account] !== "777788889999") }, { ...single, key }];
      }),
    shows: (files) =>
      files.some((f) => f.key.includes("/Backup/777788889999/crossregion/") && !f.header.includes("Account Id") && f.rows.length > 0),
  },
  {
    name: "split _2 parts",
    files: (b) =>
      b.flatMap((f) => {
        const part = Number(/_(\d+)\.csv$/.exec(f.key)![1]);
        const renamed = (p: number) => f.key.replace(/_\d+\.csv$/, `_${p}.csv`);
        if (f.rows.length < 2) return [{ ...f, key: renamed(2 * part - 1) }];
        const half = Math.ceil(f.rows.length / 2);
        return [
          { ...f, key: renamed(2 * part - 1), rows: f.rows.slice(0, half) },
          { ...f, key: renamed(2 * part), rows: f.rows.slice(half) },
        ];
      }),
    shows: (files) => files.filter((f) => /_2\.csv$/.test(f.key)).length >= 5,
  },
  {
    name: "minimal quoting, CRLF and a BOM",
    files: (b) => b,
    rendering: { crlf: true, bom: true, minimalQuotes: true },
    shows: (files, text) => files.every((f) => text(f).startsWith("\uFEFFReport Time Period Start,") || text(f).startsWith("\uFEFFAccount Id,")) &&
      files.every((f) => text(f).endsWith("\r\n")) &&
      files.some((f) => text(f).includes(',"Backup job completed with issues: 2 files were skipped, ""in use"":\nC:\\pagefile.sys",')),
  },
];

let baselineDir: string;
let baselineFiles: CsvFile[];
const expected = new Map<string, Row[]>();
let server: S3Server;
const scratch: string[] = [];

beforeAll(async () => {
  baselineDir = buildTestBucket();
  baselineFiles = readReports(baselineDir);
  const reports = await openLocalReports(baselineDir);
  try {
    for (const [name, params] of CALLS) expected.set(`${name} ${params.join(",")}`, await reports.run(findNamedQuery(queries, name), params));
  } finally {
    await reports.close();
  }
  server = await startS3rver(BUCKET);
}, 120000);

afterAll(async () => {
  await server?.stop();
  for (const dir of [baselineDir, ...scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every call gives the baseline's rows; closes the reports. */
async function expectBaselineRows(reports: LocalReports): Promise<void> {
  try {
    for (const [name, params] of CALLS) {
      const rows = await reports.run(findNamedQuery(queries, name), params);
      expect({ name, params, rows }).toEqual({ name, params, rows: expected.get(`${name} ${params.join(",")}`) });
    }
  } finally {
    await reports.close();
  }
}

function writeVariant(variant: Variant): { dir: string; files: CsvFile[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-variant-"));
  scratch.push(dir);
  const files = variant.files(baselineFiles);
  for (const f of files) {
    const abs = path.join(dir, ...f.key.split("/"));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, render(f, variant.rendering));
  }
  return { dir, files };
}

test("the baseline answers every named query, most with rows", () => {
  expect(new Set(CALLS.map(([n]) => n))).toEqual(new Set(queries.map((q) => q.name)));
  expect([...expected.values()].filter((rows) => rows.length > 0).length).toBe(CALLS.length);
  // The quoted field with a comma, doubled quotes and a line break survives as one value.
  expect(expected.get("backup_jobs_completed_with_issues ")!.map((r) => r.status_message)).toContain(
    'Backup job completed with issues: 2 files were skipped, "in use":\nC:\\pagefile.sys',
  );
});

describe.each(VARIANTS.map((v) => [v.name, v] as const))("variant: %s", (_name, variant) => {
  test("backup-audit query (the local engine over the normaliser) gives every named query the baseline's exact rows", async () => {
    const { dir, files } = writeVariant(variant);
    expect(files.length).toBeGreaterThanOrEqual(baselineFiles.length);
    expect(variant.shows(files, (f) => render(f, variant.rendering))).toBe(true);
    // The command itself, once: exit code, output format, warnings on stderr.
    let stdout = "";
    let stderr = "";
    const code = await runQueryCommand(
      { name: "failed_backup_jobs_in_region", reports: dir, params: ["us-east-1"], format: "json" },
      { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) },
    );
    const lines = stderr.split("\n").filter((l) => l !== "");
    const drift = variant.warning === undefined ? [] : lines.filter((l) => variant.warning!.test(l));
    expect({ code, drift: drift.length, other: lines.filter((l) => !drift.includes(l)) }).toEqual({
      code: 0,
      // One per file the query reads: the backup job reports (the other tables' files are left alone).
      drift: variant.warning === undefined ? 0 : files.filter((f) => f.template === "BACKUP_JOB_REPORT").length,
      other: [],
    });
    expect(JSON.parse(stdout)).toEqual(expected.get("failed_backup_jobs_in_region us-east-1"));
    // Every call on the engine the command opens (one load for all of them).
    await expectBaselineRows(await openLocalReports(dir));
  }, 120000);

  test("the Lambda handler on S3 writes copies and records that a synced folder reads as they are", async () => {
    const slug = variant.name.replace(/[^a-z0-9]+/g, "-").replace(/-+$/, "");
    const { files } = writeVariant(variant);
    // A bucket of its own, so that its keys are the keys a synced folder has.
    const bucket = `variant-${slug}`.slice(0, 63).replace(/-+$/, "");
    await server.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const tables = reportTablesForPlans(allTemplateSpecs().map((s) => ({ template: s.template, keyPrefix: `${KEY_PREFIX}/${s.defaultKeyPrefix}` })));
    const handler = createHandler({
      s3: server.s3,
      logger: new Logger({ serviceName: "test", logLevel: "SILENT" }),
      metrics: new Metrics({ namespace: REPORT_DRIFT_METRIC.namespace, serviceName: REPORT_DRIFT_METRIC.dimensions.service }),
      config: { tables, reportsBucket: bucket, normalizedPrefix: "normalized" },
    });
    const publish = jest.spyOn(Metrics.prototype, "publishStoredMetrics").mockImplementation(function (this: Metrics) {
      this.clearMetrics();
      return this;
    });
    try {
      for (const f of files) {
        await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: Buffer.from(render(f, variant.rendering)) }));
        // Keys arrive percent-encoded (`:` as %3A), as classic notifications send them.
        const event = { ...FIXTURE_EVENT, detail: { ...FIXTURE_EVENT.detail, bucket: { name: bucket }, object: { key: f.key.replace(/:/g, "%3A") } } };
        expect(await handler(event)).toMatchObject({ outcome: "normalized", key: f.key, rows: f.rows.length });
      }
    } finally {
      publish.mockRestore();
    }
    // Sync the whole bucket down, as `aws s3 sync s3://<bucket> <dir>` would: the raw reports, the normalised
    // copies and their recorded sources (object metadata would not come along; the records do).
    const local = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-synced-"));
    scratch.push(local);
    const listed = (await server.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [];
    const keys = listed.map((o) => o.Key!);
    expect(keys.filter((k) => k.startsWith("normalized/_sources/") && k.endsWith(".source.json"))).toHaveLength(files.length);
    expect(keys.filter((k) => k.startsWith("normalized/") && k.endsWith(".json.gz"))).toHaveLength(files.length);
    for (const key of keys) {
      const got = await server.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const target = path.join(local, ...key.split("/"));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, Buffer.from(await got.Body!.transformToByteArray()));
    }
    await expectBaselineRows(await openNormalizedReports(local));
    // The raw files beside their copies: every file is read from its copy, none is normalised again.
    const synced = await openLocalReports(local);
    expect(synced.origins).toEqual({ bucketCopies: files.length, cache: 0, normalized: 0, notRead: 0 });
    // Drift is reported from the records' header, as the normaliser reports it (the same line as on stderr).
    expect(synced.warnings.filter((w) => variant.warning === undefined || !variant.warning.test(`warning: ${w}`))).toEqual([]);
    expect(synced.warnings.length).toBe(variant.warning === undefined ? 0 : files.length);
    await expectBaselineRows(synced);
  }, 120000);
});
