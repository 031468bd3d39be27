import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildProgram } from "../cli/index";
import { formatResult, runQueryCommand, type QueryCommandOptions } from "../cli/commands/query";
import { loadNamedQueries } from "../queries/catalog";
import { runNormalizeCommand } from "../cli/commands/normalize";
import { NEW_JOB, buildTestBucket, reportKey } from "./queries-fixture-bucket";

// In-process: runQueryCommand returns the exit code and writes through the io it is given. The DuckDB
// instance is shared by every run in this file (started once); each run loads the folder again.
let bucket: string;
beforeAll(() => {
  bucket = buildTestBucket();
});
afterAll(() => {
  if (bucket) fs.rmSync(bucket, { recursive: true, force: true });
});

async function run(options: QueryCommandOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runQueryCommand(options, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

const names = loadNamedQueries().map((q) => q.name);
const skipWarning = /^warning: notes\/accounts.csv: skipped: neither the file name nor a folder names a report template$/m;

describe("backup-audit query", () => {
  test("--format csv prints a header and the exact rows; load warnings go to stderr", async () => {
    const r = await run({ name: "failed_backup_jobs_in_region", reports: bucket, params: ["eu-west-1"], format: "csv" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "account_id,region,backup_job_id,job_status,status_message,resource_type,resource_arn,backup_vault_name,creation_date,completion_date",
        "444455556666,eu-west-1,3B1E6A0C-2F0D-4C55-9E7A-0A1B2C3D4E03,FAILED,Backup job failed because the IAM role does not have permission to call rds:CreateDBSnapshot.,RDS,arn:aws:rds:eu-west-1:444455556666:db:orders-db,org-central-vault,2026-03-14T05:03:12.103Z,2026-03-14T05:33:45.203Z",
        `444455556666,eu-west-1,${NEW_JOB.n04},FAILED,Backup job failed because the snapshot limit was exceeded.,EBS,arn:aws:ec2:eu-west-1:444455556666:volume/vol-0444,org-central-vault,2026-03-15T05:04:00.000Z,2026-03-15T05:05:00.000Z`,
        "",
      ].join("\n"),
    );
    expect(r.stderr).toMatch(skipWarning);
    expect(r.stderr.split("\n").filter((l) => l.startsWith("warning: ")).length).toBe(2);
  });

  test("--format json prints the rows as objects with typed numbers", async () => {
    const r = await run({ name: "largest_backups", reports: bucket, params: ["2"], format: "json" });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        size_rank: 1,
        account_id: "000011112222",
        region: "us-east-1",
        backup_job_id: NEW_JOB.n02,
        resource_type: "EFS",
        resource_arn: "arn:aws:elasticfilesystem:us-east-1:000011112222:file-system/fs-0big",
        backup_size_bytes: 107374182400,
        backup_size_gib: 100,
        completion_date: "2026-03-15T07:02:00.000Z",
      },
      {
        size_rank: 2,
        account_id: "123412341234",
        region: "eu-west-1",
        backup_job_id: "3B1E6A0C-2F0D-4C55-9E7A-0A1B2C3D4E09",
        resource_type: "EC2",
        resource_arn: "arn:aws:ec2:eu-west-1:123412341234:instance/i-0a1b2c3d4e5f60709",
        backup_size_bytes: 64424509440,
        backup_size_gib: 60,
        completion_date: "2026-03-14T05:39:45.209Z",
      },
    ]);
  });

  test("--format table (default) aligns columns and counts rows; --verbose prints timings", async () => {
    const r = await run({ name: "accounts_without_completed_backup", reports: bucket, params: ["2026-03-15", "2026-03-16"], verbose: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ["account_id    backup_jobs_in_period", "------------  ---------------------", "999900001111  1", "(1 row)", ""].join("\n"),
    );
    expect(r.stderr).toMatch(/^engine start \d+ ms, loaded 12 file\(s\) \/ 71 row\(s\) in \d+ ms, query \d+ ms, total \d+ ms$/m);
    expect(r.stderr).toMatch(/^report files: 12 — 0 from the bucket's normalised copies, 0 from the cache, 12 normalised now$/m);
  });

  test("--cache: the first run normalises into the cache, the second reads it and answers the same; --no-cache normalises all", async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-query-cache-"));
    try {
      const call = { name: "failed_backup_jobs_in_region", reports: bucket, params: ["us-east-1"], format: "json", verbose: true, cache };
      const first = await run(call);
      const second = await run(call);
      const full = await run({ ...call, cache: false });
      expect([first.code, second.code, full.code]).toEqual([0, 0, 0]);
      // The query reads backup_job_report only: the other tables' 8 files are not even normalised.
      const alone = "; 8 of tables the query does not read left alone";
      expect(first.stderr).toMatch(new RegExp(`^report files: 4 — 0 from the bucket's normalised copies, 0 from the cache, 4 normalised now${alone}$`, "m"));
      expect(second.stderr).toMatch(new RegExp(`^report files: 4 — 0 from the bucket's normalised copies, 4 from the cache, 0 normalised now${alone}$`, "m"));
      expect(full.stderr).toMatch(new RegExp(`^report files: 4 — 0 from the bucket's normalised copies, 0 from the cache, 4 normalised now${alone}$`, "m"));
      expect(second.stdout).toBe(first.stdout);
      expect(full.stdout).toBe(first.stdout);
      expect(JSON.parse(first.stdout).length).toBeGreaterThan(0);
      // The cache holds one folder for this bucket copy; the bucket copy itself is left as it was.
      expect(fs.readdirSync(cache)).toHaveLength(1);
      expect(fs.existsSync(path.join(bucket, "normalized"))).toBe(false);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  test("--list shows every query with its params; --list --format json too", async () => {
    const table = await run({ list: true });
    expect(table.code).toBe(0);
    for (const name of names) expect(table.stdout).toContain(name);
    expect(table.stdout).toMatch(/^accounts_without_completed_backup +from_day, to_day +Accounts that appear/m);
    const json = await run({ list: true, format: "json" });
    const list = JSON.parse(json.stdout) as Array<{ name: string; params: Array<{ name: string }> }>;
    expect(list.map((q) => q.name)).toEqual(names);
    expect(list.find((q) => q.name === "largest_backups")?.params.map((p) => p.name)).toEqual(["top_n"]);
  });

  test("an unknown query name exits 2 and lists the names", async () => {
    const r = await run({ name: "failed_jobs", reports: bucket });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`backup-audit query: unknown query "failed_jobs"; known queries: ${names.join(", ")}\n`);
  });

  test("a wrong number of --param values exits 2 and names the parameters", async () => {
    const r = await run({ name: "accounts_without_completed_backup", reports: bucket, params: ["2026-03-15"] });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "backup-audit query: query accounts_without_completed_backup takes 2 --param value(s) in this order: " +
        "from_day (first delivery day, YYYY-MM-DD (inclusive; compared with the delivery_date partition)); " +
        "to_day (last delivery day, YYYY-MM-DD (inclusive)); got 1\n",
    );
    const none = await run({ name: "largest_backups", reports: bucket, params: [] });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/takes 1 --param value\(s\) in this order: top_n \(/);
    const extra = await run({ name: "backup_jobs_completed_with_issues", reports: bucket, params: ["x"] });
    expect(extra.stderr).toBe("backup-audit query: query backup_jobs_completed_with_issues takes no parameters, got 1 --param\n");
  });

  test("an unknown --format exits 2", async () => {
    const r = await run({ name: "largest_backups", reports: bucket, params: ["1"], format: "xml" });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('backup-audit query: unknown --format "xml"; use one of table, csv, json\n');
  });

  test("no name, or no --reports, exits 2", async () => {
    expect((await run({})).code).toBe(2);
    const r = await run({ name: "largest_backups", params: ["1"] });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("backup-audit query: --reports <folder> is required (a local copy of the reports bucket)\n");
  });

  test("a missing folder or a folder without report files exits 2 (unreadable input) with a clear message", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-cli-empty-"));
    try {
      const missing = await run({ name: "largest_backups", params: ["1"], reports: path.join(empty, "nope") });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(`backup-audit query: reports folder not found: ${path.join(empty, "nope")}\n`);
      const none = await run({ name: "largest_backups", params: ["1"], reports: empty });
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/^backup-audit query: no report CSV files under /);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test("csv quoting of commas, quotes and empty cells", () => {
    expect(
      formatResult({ columns: ["a", "b", "c"], rows: [{ a: 'say "hi", then go', b: null, c: 3 }] }, "csv"),
    ).toBe('a,b,c\n"say ""hi"", then go",,3\n');
  });
});

describe("wired into the program", () => {
  let out: jest.SpyInstance;
  let err: jest.SpyInstance;
  beforeEach(() => {
    out = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    process.exitCode = undefined;
  });
  afterEach(() => {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  });
  const written = (spy: jest.SpyInstance): string => spy.mock.calls.map((c: unknown[]) => String(c[0])).join("");

  test("backup-audit query <name> --reports <dir> --param ... --format json --cache <dir>", async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-commander-cache-"));
    try {
      await buildProgram().parseAsync(
        ["query", "failed_restore_jobs_in_region", "--reports", bucket, "--param", "eu-west-1", "--format", "json", "--cache", cache],
        { from: "user" },
      );
      // The cache named on the command line got this bucket copy's folder.
      expect(fs.readdirSync(cache)).toHaveLength(1);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
    expect(process.exitCode).toBeUndefined();
    const rows = JSON.parse(written(out)) as Array<{ restore_job_id: string; job_status: string }>;
    expect(rows.map((r) => [r.restore_job_id, r.job_status])).toEqual([
      ["4CACA67D-4E12-DC05-6C2B-0E97D01FA403", "FAILED"],
      ["4CACA67D-4E12-DC05-6C2B-0E97D01FA404", "ABORTED"],
    ]);
  });

  test("backup-audit query --list, and an unknown name sets exit code 2", async () => {
    await buildProgram().parseAsync(["query", "--list", "--format", "csv"], { from: "user" });
    expect(written(out).split("\n")[0]).toBe("name,params,description");
    await buildProgram().parseAsync(["query", "nope", "--reports", bucket, "--no-cache"], { from: "user" });
    expect(process.exitCode).toBe(2);
    expect(written(err)).toMatch(/unknown query "nope"; known queries: non_compliant_controls_in_region, /);
  });
});

describe("backup-audit normalize", () => {
  test("writes the Lambda's normalised copies of a bucket copy and lists them", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-normalize-"));
    try {
      let stdout = "";
      let stderr = "";
      const code = await runNormalizeCommand({ reports: bucket, out }, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
      expect(code).toBe(0);
      expect(stdout).toMatch(/^12 report file\(s\) normalised, 0 skipped$/m);
      expect(stdout).toContain(
        `${reportKey("BACKUP_JOB_REPORT", "2026-03-16", "org_plan", 2)} → normalized/backup_job_report/delivery_date=2026-03-16/` +
          "crossaccount.crossregion.org_plan.backup_job_report_org_plan_2026-03-15t00:00:00z_2026-03-16t00:00:00z_2.json.gz (1 rows)",
      );
      expect(stderr).toMatch(skipWarning);
      const written = path.join(out, "normalized", "backup_job_report", "delivery_date=2026-03-16");
      expect(fs.readdirSync(written)).toHaveLength(3);
      // Each beside its recorded source, as the Lambda writes them (etag null: a local file has none).
      const records = path.join(out, "normalized", "_sources", "backup_job_report", "delivery_date=2026-03-16");
      expect(fs.readdirSync(records).sort()).toEqual(fs.readdirSync(written).map((n) => n.replace(/\.json\.gz$/, ".source.json")).sort());
      const record = JSON.parse(fs.readFileSync(path.join(records, fs.readdirSync(records)[0]), "utf8")) as { source: { etag: unknown } };
      expect(record.source.etag).toBeNull();
      expect(await runNormalizeCommand({ reports: bucket }, { stdout: () => undefined, stderr: () => undefined })).toBe(2);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
