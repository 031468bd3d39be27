import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { reportQueriesDir } from "../dashboard/data";
import { loadNamedQueries, type NamedQuery } from "../queries/catalog";
import { columnsReadBy } from "../queries/column-selection";
import { defaultCacheRoot, loadedPaths, prepareCacheFolder } from "../queries/local-cache";
import { openLocalReports, type LocalReports, type LocalReportsOptions, type QueryResult } from "../queries/local-engine";
import { normalizeFolder } from "../queries/normalize-folder";
import { normalizedSourceKey } from "../reports/normalized-source";
import { buildTestBucket } from "./queries-fixture-bucket";

/**
 * The three ways the local engine gets a raw report's rows — normalised now (`--no-cache`, and the first run), the
 * bucket's normalised copy (a folder synced with `normalized/`), the cache (a second run) — must give every named
 * query and every report query the same rows, row for row; and a copy or cache entry that is stale or corrupt must
 * be detected (one warning naming the file) and redone.
 */

const PARAMS: Readonly<Record<string, string>> = {
  from_day: "2026-03-01",
  to_day: "2026-03-31",
  top_n: "5",
  region: "us-east-1",
  ou_id: "ou-ab12-prod1111",
  control_name: "BACKUP_RECOVERY_POINT_ENCRYPTED",
};

const ALL_QUERIES: readonly NamedQuery[] = [...loadNamedQueries(), ...loadNamedQueries(reportQueriesDir())];

let work: string;
/** Raw report files only (what `aws s3 sync` gives before any copy exists). */
let raw: string;
/** The same raw files with the partitioner's copies and records beside them (`aws s3 sync` of a deployed bucket). */
let synced: string;
let baseline: Map<string, QueryResult>;
let fileCount: number;

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

/** Every file below `dir` with its size and modification time: what a run must leave untouched. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = fs.statSync(p);
        out.push(`${path.relative(dir, p)} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

async function answers(reports: LocalReports): Promise<Map<string, QueryResult>> {
  const out = new Map<string, QueryResult>();
  for (const q of ALL_QUERIES) out.set(q.name, await reports.query(q, q.params.map((p) => PARAMS[p.name] ?? "x")));
  return out;
}

async function open(folder: string, options: LocalReportsOptions): Promise<LocalReports> {
  return openLocalReports(folder, options);
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-copies-"));
  raw = path.join(work, "raw");
  copyTree(buildTestBucket(), raw);
  synced = path.join(work, "synced");
  copyTree(raw, synced);
  // What the partitioner writes into the bucket (the same code: copy, then its recorded source).
  const written = await normalizeFolder(synced, synced);
  fileCount = written.files.filter((f) => f.outcome.kind === "normalized").length;
  const cold = await open(raw, { cacheDir: null, bucketCopies: false });
  try {
    expect(cold.origins).toEqual({ bucketCopies: 0, cache: 0, normalized: fileCount, notRead: 0 });
    baseline = await answers(cold);
  } finally {
    await cold.close();
  }
}, 120000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test("the fixture run answers most queries with rows (so that the comparisons below compare something)", () => {
  expect(fileCount).toBe(12);
  expect([...baseline.values()].filter((r) => r.rows.length > 0).length).toBeGreaterThan(ALL_QUERIES.length / 2);
});

test("bucket copies, then the cache: every query's rows equal the full run's, and a second run normalises nothing", async () => {
  const cache = path.join(work, "cache-synced");
  const before = snapshot(synced);
  const first = await open(synced, { cacheDir: cache });
  let firstFiles;
  try {
    expect(first.origins).toEqual({ bucketCopies: fileCount, cache: 0, normalized: 0, notRead: 0 });
    expect(first.files.every((f) => f.origin === "bucket-copy")).toBe(true);
    expect(await answers(first)).toEqual(baseline);
    firstFiles = first.files.map(({ origin: _origin, ...f }) => f);
  } finally {
    await first.close();
  }
  const second = await open(synced, { cacheDir: cache });
  try {
    expect(second.origins).toEqual({ bucketCopies: 0, cache: fileCount, normalized: 0, notRead: 0 });
    expect(second.warnings).toEqual(first.warnings);
    expect(second.files.map(({ origin: _origin, ...f }) => f)).toEqual(firstFiles);
    expect(await answers(second)).toEqual(baseline);
  } finally {
    await second.close();
  }
  // Nothing was written into the synced folder: the cache has a folder of its own.
  expect(snapshot(synced)).toEqual(before);
  const [entry] = fs.readdirSync(cache);
  expect(JSON.parse(fs.readFileSync(path.join(cache, entry, "folder.json"), "utf8"))).toEqual({ folder: fs.realpathSync(synced) });
}, 120000);

test("raw files only: the first run normalises into the cache, the second reads the cache; rows equal", async () => {
  const cache = path.join(work, "cache-raw");
  const first = await open(raw, { cacheDir: cache });
  try {
    expect(first.origins).toEqual({ bucketCopies: 0, cache: 0, normalized: fileCount, notRead: 0 });
    expect(await answers(first)).toEqual(baseline);
  } finally {
    await first.close();
  }
  const dir = prepareCacheFolder(cache, raw);
  // The local copies in the bucket's layout, each with its record, and the loaded rows.
  const normalizedCopies = fs.readdirSync(path.join(dir, "normalized"), { recursive: true }).filter((n) => String(n).endsWith(".json.gz"));
  expect(normalizedCopies).toHaveLength(fileCount);
  const second = await open(raw, { cacheDir: cache });
  try {
    expect(second.origins).toEqual({ bucketCopies: 0, cache: fileCount, normalized: 0, notRead: 0 });
    expect(await answers(second)).toEqual(baseline);
  } finally {
    await second.close();
  }
}, 120000);

test("without a cache and without copies (--no-cache) every file is normalised, and no cache is written", async () => {
  const cache = path.join(work, "cache-untouched");
  const run = await open(synced, { cacheDir: null, bucketCopies: false });
  try {
    expect(run.origins).toEqual({ bucketCopies: 0, cache: 0, normalized: fileCount, notRead: 0 });
    expect(await answers(run)).toEqual(baseline);
  } finally {
    await run.close();
  }
  expect(fs.existsSync(cache)).toBe(false);
}, 60000);

describe("stale and corrupt copies", () => {
  let folder: string;
  const key = (f: LocalReports, table: string): string => f.files.find((x) => x.tableName === table)!.key;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(work, "case-"));
    copyTree(synced, folder);
  });

  test("a raw file that changed after its copy was made: one warning naming it, normalised again, its new rows read", async () => {
    const cache = path.join(folder, "..", `${path.basename(folder)}-cache`);
    const probe = await open(folder, { cacheDir: cache });
    const changed = key(probe, "copy_job_report");
    const rowsBefore = probe.files.find((f) => f.key === changed)!.rows;
    await probe.close();
    const file = path.join(folder, ...changed.split("/"));
    const stale = async (pattern: RegExp, rows: number): Promise<void> => {
      const run = await open(folder, { cacheDir: cache });
      try {
        const lines = run.warnings.filter((w) => / is stale /.test(w));
        expect(lines).toEqual([expect.stringMatching(pattern)]);
        expect(run.origins).toEqual({ bucketCopies: 0, cache: fileCount - 1, normalized: 1, notRead: 0 });
        expect(run.files.find((f) => f.key === changed)).toMatchObject({ origin: "normalized", rows });
      } finally {
        await run.close();
      }
      // The redone file is cached now: the next run warns no more and normalises nothing.
      const again = await open(folder, { cacheDir: cache });
      try {
        expect(again.warnings.filter((w) => / is stale /.test(w))).toEqual([]);
        expect(again.origins).toEqual({ bucketCopies: 0, cache: fileCount, normalized: 0, notRead: 0 });
      } finally {
        await again.close();
      }
    };
    const head = `^${escape(changed)}: its normalised copy normalized/copy_job_report/\\S+\\.json\\.gz is stale `;
    // Same size, other bytes (a job's state rewritten): told apart by the SHA-256 only.
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain('"COMPLETED"');
    fs.writeFileSync(file, text.replace('"COMPLETED"', '"COMPLETES"'));
    await stale(new RegExp(`${head}\\(made from (\\d+) bytes, sha256 [0-9a-f]{12}…; the file has \\1 bytes, sha256 [0-9a-f]{12}…\\): normalised again$`), rowsBefore);
    // One more row (the file's last row again): another size, stale without hashing.
    const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
    fs.appendFileSync(file, `${lines[lines.length - 1]}\n`);
    await stale(new RegExp(`${head}\\(made from \\d+ bytes; the file has \\d+ bytes\\): normalised again$`), rowsBefore + 1);
  }, 60000);

  test("a copy whose bytes are not the recorded ones: one warning naming it, normalised again, the same rows", async () => {
    const probe = await open(folder, {});
    const broken = probe.files.find((f) => f.tableName === "backup_job_report")!;
    await probe.close();
    const copy = path.join(folder, ...broken.normalizedKey.split("/"));
    const bytes = fs.readFileSync(copy);
    bytes[bytes.length >> 1] ^= 0xff;
    fs.writeFileSync(copy, bytes);

    const run = await open(folder, {});
    try {
      const corrupt = run.warnings.filter((w) => / is corrupt /.test(w));
      expect(corrupt).toEqual([expect.stringMatching(new RegExp(`^${escape(broken.key)}: its normalised copy ${escape(broken.normalizedKey)} is corrupt `))]);
      expect(run.origins).toEqual({ bucketCopies: fileCount - 1, cache: 0, normalized: 1, notRead: 0 });
      expect(await answers(run)).toEqual(baseline);
    } finally {
      await run.close();
    }
  }, 60000);

  test("a cache entry whose rows are not the recorded bytes: one warning naming the file, read again, the same rows", async () => {
    const cache = path.join(folder, "..", `${path.basename(folder)}-cache`);
    await (await open(folder, { cacheDir: cache })).close();
    const dir = prepareCacheFolder(cache, folder);
    // Without its table snapshot, a run with the same inputs reads the per-file entries.
    fs.rmSync(path.join(dir, "tables"), { recursive: true });
    const arrows = (fs.readdirSync(path.join(dir, "loaded"), { recursive: true }) as string[]).filter((n) => n.endsWith(".arrow")).sort();
    const victim = path.join(dir, "loaded", arrows[0]);
    const bytes = fs.readFileSync(victim);
    fs.writeFileSync(victim, bytes.subarray(0, bytes.length - 100));

    const run = await open(folder, { cacheDir: cache });
    try {
      const corrupt = run.warnings.filter((w) => /cached rows .* are corrupt/.test(w));
      expect(corrupt).toHaveLength(1);
      expect(corrupt[0]).toContain(victim);
      expect(run.origins).toEqual({ bucketCopies: 1, cache: fileCount - 1, normalized: 0, notRead: 0 });
      expect(await answers(run)).toEqual(baseline);
    } finally {
      await run.close();
    }
  }, 60000);

  test("a cache entry of another normaliser is rebuilt without a warning; a copy without a record is normalised here", async () => {
    const cache = path.join(folder, "..", `${path.basename(folder)}-cache`);
    await (await open(folder, { cacheDir: cache })).close();
    const dir = prepareCacheFolder(cache, folder);
    const records = (fs.readdirSync(path.join(dir, "loaded"), { recursive: true }) as string[]).filter((n) => n.endsWith(".arrow.json")).sort();
    const record = path.join(dir, "loaded", records[0]);
    fs.writeFileSync(record, fs.readFileSync(record, "utf8").replace(/"fingerprint":"[^"]*"/, '"fingerprint":"0000000000000000.1"'));
    // A copy synced without its record (written before the partitioner recorded its source).
    const probe = await open(folder, {});
    const bare = probe.files.find((f) => f.tableName === "restore_job_report")!;
    await probe.close();
    fs.rmSync(path.join(folder, ...normalizedSourceKey(bare.normalizedKey, "normalized").split("/")));
    fs.rmSync(path.join(prepareCacheFolder(cache, folder), "loaded", ...bare.normalizedKey.split("/").slice(1)).replace(/\.json\.gz$/, ".arrow.json"));

    const run = await open(folder, { cacheDir: cache });
    try {
      expect(run.warnings.filter((w) => /stale|corrupt|unreadable/.test(w))).toEqual([]);
      expect(run.warnings).toContain(
        "1 normalised copy has no recorded source (written before the partitioner recorded it), so the raw file was normalised here; " +
          "`backup-audit backfill` rewrites those copies once, with one",
      );
      expect(run.origins).toEqual({ bucketCopies: 1, cache: fileCount - 2, normalized: 1, notRead: 0 });
      expect(run.files.find((f) => f.key === bare.key)!.origin).toBe("normalized");
      expect(await answers(run)).toEqual(baseline);
    } finally {
      await run.close();
    }
  }, 60000);

  test("an unreadable record is reported once and the file normalised", async () => {
    const probe = await open(folder, {});
    const victim = probe.files.find((f) => f.tableName === "resource_compliance_report")!;
    await probe.close();
    const recordKey = normalizedSourceKey(victim.normalizedKey, "normalized");
    fs.writeFileSync(path.join(folder, ...recordKey.split("/")), '{"format": "backup-audit-insights/normalized-source/1", "source": ');
    const run = await open(folder, {});
    try {
      expect(run.warnings.filter((w) => w.startsWith(victim.key))).toEqual([
        expect.stringMatching(new RegExp(`^${escape(victim.key)}: the recorded source of its normalised copy \\(${escape(recordKey)}\\) is unreadable: not JSON`)),
      ]);
      expect(run.origins).toEqual({ bucketCopies: fileCount - 1, cache: 0, normalized: 1, notRead: 0 });
    } finally {
      await run.close();
    }
  }, 60000);
});

describe("table snapshots", () => {
  let folder: string;
  let cache: string;
  const cacheFolder = (): string => prepareCacheFolder(cache, folder);
  const dropEntries = (): void => fs.rmSync(path.join(cacheFolder(), "loaded"), { recursive: true, force: true });
  const withoutOrigin = (r: LocalReports) => r.files.map(({ origin: _origin, ...f }) => f);

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(work, "snapshot-"));
    copyTree(synced, folder);
    cache = `${folder}-cache`;
  });

  test("a second run with the same inputs appends the snapshot: the same rows, files and warnings, no per-file entry read", async () => {
    const first = await open(folder, { cacheDir: cache });
    let firstFiles, firstWarnings;
    try {
      firstFiles = withoutOrigin(first);
      firstWarnings = first.warnings;
    } finally {
      await first.close();
    }
    // The per-file entries are gone: only the snapshot can give the cache's rows now, and nothing rebuilds them.
    dropEntries();
    const second = await open(folder, { cacheDir: cache });
    try {
      expect(second.origins).toEqual({ bucketCopies: 0, cache: fileCount, normalized: 0, notRead: 0 });
      expect(second.files.every((f) => f.origin === "cache")).toBe(true);
      expect(withoutOrigin(second)).toEqual(firstFiles);
      expect(second.warnings).toEqual(firstWarnings);
      expect(await answers(second)).toEqual(baseline);
    } finally {
      await second.close();
    }
    expect(fs.existsSync(path.join(cacheFolder(), "loaded"))).toBe(false);
  }, 60000);

  test("an input touched (same bytes, a new time): the per-file entries are read and the snapshot rebuilt, then used", async () => {
    const first = await open(folder, { cacheDir: cache });
    const [touched, other] = first.files;
    await first.close();
    const raw = path.join(folder, ...touched.key.split("/"));
    const later = new Date(fs.statSync(raw).mtimeMs + 3_600_000);
    fs.utimesSync(raw, later, later);
    // One file's entry dropped: a run that reads the per-file entries takes that file from its bucket copy.
    fs.rmSync(loadedPaths(cacheFolder(), other.normalizedKey, "normalized").record);
    const second = await open(folder, { cacheDir: cache });
    try {
      expect(second.origins).toEqual({ bucketCopies: 1, cache: fileCount - 1, normalized: 0, notRead: 0 });
      expect(second.warnings.filter((w) => /stale|corrupt/.test(w))).toEqual([]);
      expect(await answers(second)).toEqual(baseline);
    } finally {
      await second.close();
    }
    dropEntries();
    const third = await open(folder, { cacheDir: cache });
    try {
      expect(third.origins).toEqual({ bucketCopies: 0, cache: fileCount, normalized: 0, notRead: 0 });
      expect(await answers(third)).toEqual(baseline);
    } finally {
      await third.close();
    }
  }, 60000);

  test("a corrupt snapshot: one warning naming it, the per-file entries read, the same rows; the next run warns no more", async () => {
    await (await open(folder, { cacheDir: cache })).close();
    const [snapshotDir] = fs.readdirSync(path.join(cacheFolder(), "tables"));
    const victim = path.join(cacheFolder(), "tables", snapshotDir, "backup_job_report.arrow");
    const bytes = fs.readFileSync(victim);
    bytes[bytes.length >> 1] ^= 0xff;
    fs.writeFileSync(victim, bytes);
    const run = await open(folder, { cacheDir: cache });
    try {
      expect(run.warnings.filter((w) => /corrupt/.test(w))).toEqual([
        `the cache's table snapshot ${victim} is corrupt (${bytes.length} bytes; recorded ${bytes.length}): read from the per-file entries`,
      ]);
      expect(run.origins).toEqual({ bucketCopies: 0, cache: fileCount, normalized: 0, notRead: 0 });
      expect(await answers(run)).toEqual(baseline);
    } finally {
      await run.close();
    }
    dropEntries();
    const again = await open(folder, { cacheDir: cache });
    try {
      expect(again.warnings.filter((w) => /corrupt/.test(w))).toEqual([]);
      expect(again.origins.cache).toBe(fileCount);
      expect(await answers(again)).toEqual(baseline);
    } finally {
      await again.close();
    }
  }, 60000);

  test("one snapshot per column selection, the three latest kept; a failed run leaves none behind", async () => {
    const selections = ALL_QUERIES.map((q) => columnsReadBy([q]))
      .filter((c, i, all) => all.findIndex((d) => JSON.stringify(d) === JSON.stringify(c)) === i)
      .slice(0, 4);
    expect(selections).toHaveLength(4);
    for (const columns of selections) await (await open(folder, { cacheDir: cache, columns })).close();
    const tables = path.join(cacheFolder(), "tables");
    expect(fs.readdirSync(tables)).toHaveLength(3);

    const probe = await open(folder, { cacheDir: null });
    const broken = probe.files.find((f) => f.tableName === "backup_job_report")!;
    await probe.close();
    fs.writeFileSync(path.join(folder, ...broken.key.split("/")), 'Report Time Period Start,Account ID\n"2026-03-01,\n');
    fs.rmSync(tables, { recursive: true });
    await expect(open(folder, { cacheDir: cache, bucketCopies: false })).rejects.toThrow(broken.key);
    expect(fs.existsSync(tables) ? fs.readdirSync(tables) : []).toEqual([]);
  }, 60000);
});

test("the default cache root follows BACKUP_AUDIT_CACHE, then XDG_CACHE_HOME, then ~/.cache", () => {
  expect(defaultCacheRoot({ BACKUP_AUDIT_CACHE: "/c" })).toBe(path.join("/c", "reports"));
  expect(defaultCacheRoot({ XDG_CACHE_HOME: "/x" })).toBe(path.join("/x", "backup-audit-insights", "reports"));
  expect(defaultCacheRoot({})).toBe(path.join(os.homedir(), ".cache", "backup-audit-insights", "reports"));
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
