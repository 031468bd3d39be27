import * as fs from "fs";
import * as path from "path";
import { reportQueriesDir } from "../dashboard/data";
import { loadNamedQueries } from "../queries/catalog";
import { openLocalReports as openInThread, type LocalReports } from "../queries/local-engine";
import { normalizeInBackground as inThreadBackground } from "../queries/normalize-in-background";
import { buildTestBucket, csvHeader, csvLine, reportKey } from "./queries-fixture-bucket";

/**
 * The CLI normalises in a worker thread (queries/normalize-in-background.ts) while it loads; the TypeScript
 * sources the other suites run normalise in this thread. This suite runs the COMPILED modules (dist/, built by
 * `npm test` before jest), so the worker really runs, and requires the same files, rows and query results as
 * the in-thread path, and the same error for a file that is not valid CSV.
 */

const DIST = path.join(__dirname, "..", "dist", "queries");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiledEngine = () => require(path.join(DIST, "local-engine.js")) as typeof import("../queries/local-engine");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiledBackground = () => require(path.join(DIST, "normalize-in-background.js")) as typeof import("../queries/normalize-in-background");

let bucket: string;

const PARAMS: Readonly<Record<string, string>> = {
  from_day: "2026-03-01",
  to_day: "2026-03-31",
  since_day: "2026-03-01",
  top_n: "5",
  region: "us-east-1",
  ou_id: "ou-ab12-prod1111",
  control_name: "BACKUP_RECOVERY_POINT_ENCRYPTED",
};

beforeAll(() => {
  bucket = buildTestBucket();
});

afterAll(() => {
  if (bucket) fs.rmSync(bucket, { recursive: true, force: true });
});

test("the compiled module uses the worker thread, the TypeScript sources do not", async () => {
  expect(fs.existsSync(path.join(DIST, "normalize-worker.js"))).toBe(true);
  const job = { root: bucket, normalizedPrefix: "x", bucketCopies: true, cacheDir: null, scratchDir: bucket, files: [], columns: null };
  const compiled = compiledBackground().normalizeInBackground(job);
  const source = inThreadBackground(job);
  try {
    expect([compiled.inWorker, source.inWorker]).toEqual([true, false]);
  } finally {
    await compiled.close();
    await source.close();
  }
});

test("worker and in-thread normalisation load the same files and answer every named query alike", async () => {
  const queries = [...loadNamedQueries(), ...loadNamedQueries(reportQueriesDir())];
  const viaWorker: LocalReports = await compiledEngine().openLocalReports(bucket);
  const inThread = await openInThread(bucket);
  try {
    expect(viaWorker.files).toEqual(inThread.files);
    expect(viaWorker.files.length).toBeGreaterThan(10);
    expect(viaWorker.warnings).toEqual(inThread.warnings);
    let compared = 0;
    let withRows = 0;
    for (const q of queries) {
      const params = q.params.map((p) => PARAMS[p.name] ?? "x");
      let expected: unknown;
      try {
        expected = await inThread.query(q, params);
      } catch (err) {
        // A parameter this generic filler cannot satisfy: both paths must then fail the same way.
        await expect(viaWorker.query(q, params)).rejects.toThrow((err as Error).message);
        continue;
      }
      expect(await viaWorker.query(q, params)).toEqual(expected);
      compared++;
      if ((expected as { rows: unknown[] }).rows.length > 0) withRows++;
    }
    expect(compared).toBeGreaterThan(queries.length / 2);
    expect(withRows).toBeGreaterThan(compared / 2);
  } finally {
    await viaWorker.close();
    await inThread.close();
  }
});

test("worker threads read the bucket's copies, then the cache, as the in-thread path does", async () => {
  const work = fs.mkdtempSync(path.join(path.dirname(bucket), "worker-copies-"));
  try {
    const synced = path.join(work, "synced");
    fs.cpSync(bucket, synced, { recursive: true });
    // Compiled too: what the partitioner writes beside each copy.
    const folder = require(path.join(DIST, "normalize-folder.js")) as typeof import("../queries/normalize-folder");
    await folder.normalizeFolder(synced, synced);
    const report = loadNamedQueries(reportQueriesDir());
    const runs: Array<{ origins: unknown; files: unknown; warnings: unknown; rows: unknown[] }> = [];
    for (const [open, cache] of [
      [compiledEngine().openLocalReports, "cache-worker"],
      [compiledEngine().openLocalReports, "cache-worker"],
      [openInThread, "cache-thread"],
      [openInThread, "cache-thread"],
    ] as const) {
      const reports = await open(synced, { cacheDir: path.join(work, cache) });
      try {
        const rows = [];
        for (const q of report) rows.push(await reports.run(q, q.params.map((p) => PARAMS[p.name] ?? "x")));
        runs.push({ origins: reports.origins, files: reports.files, warnings: reports.warnings, rows });
      } finally {
        await reports.close();
      }
    }
    const n = (runs[0].files as unknown[]).length;
    expect(runs.map((r) => r.origins)).toEqual([
      { bucketCopies: n, cache: 0, normalized: 0, notRead: 0 },
      { bucketCopies: 0, cache: n, normalized: 0, notRead: 0 },
      { bucketCopies: n, cache: 0, normalized: 0, notRead: 0 },
      { bucketCopies: 0, cache: n, normalized: 0, notRead: 0 },
    ]);
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[3]).toEqual(runs[1]);
    expect(runs[1].rows).toEqual(runs[0].rows);
    // The cache written by the worker threads is the one the calling thread writes, file for file.
    const listing = (cache: string) => (fs.readdirSync(path.join(work, cache), { recursive: true }) as string[]).sort();
    expect(listing("cache-worker")).toEqual(listing("cache-thread"));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 120000);

test("a file that is not valid CSV fails both paths with the same message naming file and line, and leaves no scratch", async () => {
  const broken = fs.mkdtempSync(path.join(path.dirname(bucket), "worker-broken-"));
  try {
    const good = reportKey("BACKUP_JOB_REPORT", "2026-03-15", "p", 1);
    const bad = reportKey("BACKUP_JOB_REPORT", "2026-03-16", "p", 1);
    for (const [key, text] of [
      [good, `${csvHeader("BACKUP_JOB_REPORT")}\n${csvLine("BACKUP_JOB_REPORT", { account_id: "111122223333" })}\n`],
      [bad, '"Account Id","Region"\n"1","us-east-1"\n"2","never closed\n'],
    ]) {
      fs.mkdirSync(path.join(broken, path.dirname(key)), { recursive: true });
      fs.writeFileSync(path.join(broken, key), text);
    }
    const scratchBefore = fs.readdirSync(require("os").tmpdir()).filter((n: string) => n.startsWith("backup-audit-normalized-"));
    const messages: string[] = [];
    for (const open of [compiledEngine().openLocalReports, openInThread]) {
      const err = await open(broken).then(
        () => new Error("opened"),
        (e: unknown) => e as Error,
      );
      expect(err.name).toBe("LocalReportsError");
      messages.push(err.message);
    }
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).toMatch(new RegExp(`^${bad.replace(/[.]/g, "\\.")}: line 3: CSV_QUOTE_NOT_CLOSED`));
    const scratchAfter = fs.readdirSync(require("os").tmpdir()).filter((n: string) => n.startsWith("backup-audit-normalized-"));
    expect(scratchAfter.sort()).toEqual(scratchBefore.sort());
  } finally {
    fs.rmSync(broken, { recursive: true, force: true });
  }
});
