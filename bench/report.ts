import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import * as arrow from "apache-arrow";
import type { JSONTableShape } from "@duckdb/duckdb-wasm/blocking";
import { collectReportFigures, loadReportQueries } from "../dashboard/data";
import { renderHtml } from "../dashboard/html";
import { renderMarkdown } from "../dashboard/markdown";
import { tableColumns } from "../reports/normalized-table";
import { allColumns, columnsReadBy } from "../queries/column-selection";
import { ENGINE_NODE_OPTIONS, sharedDuckDB } from "../queries/duckdb";
import { openLocalReports, type LocalReports, type LocalReportsOptions } from "../queries/local-engine";
import { normalizeFolder } from "../queries/normalize-folder";
import { normalizedTableFolder } from "../reports/normalized-table";
import { supportedTemplateSpecs } from "../reports/templates";
import { generateReportsBucket, type ReportsBucketShape } from "./reports-bucket";

/**
 * `backup-audit report` on 100 accounts × 90 delivery days of generated reports (targets: build ≤ 20 s on
 * 2 cores, page ≤ 2 MB; a second run on the same folder in under a third of the first's time), side by side in one
 * run, each in a fresh process (what a user waits for):
 *
 * - full run (`--no-cache`): every raw CSV normalised now, nothing kept;
 * - first run with a cache: the same, its normalised copies and loaded rows kept in the cache;
 * - second run on the same folder: everything from the cache (its table snapshot), and the same from the per-file
 *   entries alone (the snapshot removed first);
 * - first run on a folder synced with the partitioner's normalised copies (`normalized/` with their recorded
 *   sources): nothing normalised.
 *
 * Then the load alone (in-process, engine already started) in each mode, against DuckDB-wasm reading the same
 * normalised JSON Lines with its own built-in JSON reader (`insertJSONFromPath`: `read_json` is an extension that
 * is not built in and cannot be fetched offline) and against DuckDB appending the same rows from another table (the
 * engine's own floor for putting rows into a table), and the phases of one in-process build; last, the report's
 * queries repeated in one process with and without the engine's Node options (V8's tiering budget, queries/duckdb.ts).
 */

export const REPORT_BENCH_DATA: ReportsBucketShape = {
  days: 90,
  accounts: 100,
  backupJobsPerDay: 1200,
  copyJobsPerDay: 300,
  restoreJobsPerDay: 30,
};

const BIN = path.resolve(__dirname, "..", "..", "bin", "backup-audit.js");
const EXIT_CPU = path.join(__dirname, "exit-cpu.js");
/** Rounds of the fresh-process runs; each figure is the median of its rounds. */
const ROUNDS = 3;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

interface Run {
  readonly ms: number;
  readonly cpuMs: number;
  readonly origins: string;
}

/** The command in fresh processes: wall time, CPU time (all threads) and the `--verbose` line naming the sources. */
function runReport(folder: string, out: string, cacheArgs: readonly string[]): Run {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ["-r", EXIT_CPU, BIN, "report", "--reports", folder, "--out", out, "--verbose", ...cacheArgs], {
    encoding: "utf8",
  });
  const ms = performance.now() - t0;
  if (child.status !== 0) throw new Error(`backup-audit report failed (${child.status}): ${child.stderr}`);
  const origins = /^report files: \d+ — (.*)$/m.exec(child.stderr)?.[1] ?? "?";
  // One line per process: the CLI starts the engine's commands again with the engine's Node options.
  const cpuLines = [...child.stderr.matchAll(/^cpu (\d+) ms$/gm)];
  const cpuMs = cpuLines.length === 0 ? NaN : cpuLines.reduce((sum, m) => sum + Number(m[1]), 0);
  return { ms, cpuMs, origins };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function loadAlone(folder: string, options: LocalReportsOptions): Promise<{ ms: number; reports: LocalReports }> {
  const t0 = performance.now();
  const reports = await openLocalReports(folder, options);
  return { ms: performance.now() - t0, reports };
}

/**
 * The same normalised copies read by DuckDB-wasm itself: each table's gzip JSON Lines inflated and joined into one
 * JSON array (its built-in reader takes arrays of rows, not JSON Lines), inserted with the table's string and
 * integer columns (the map column left out: this reader reads a map only as a list of pairs).
 */
async function duckdbJsonLoad(synced: string): Promise<{ ms: number; prepareMs: number; rows: number }> {
  const db = await sharedDuckDB();
  const conn = db.connect();
  let ms = 0;
  let prepareMs = 0;
  let rows = 0;
  try {
    conn.query("CREATE SCHEMA bench_json");
    for (const spec of supportedTemplateSpecs()) {
      const folder = path.join(synced, ...normalizedTableFolder("normalized", spec.tableName).split("/"));
      if (!fs.existsSync(folder)) continue;
      const t0 = performance.now();
      const parts: string[] = [];
      for (const day of fs.readdirSync(folder).sort()) {
        for (const name of fs.readdirSync(path.join(folder, day)).sort()) {
          if (!name.endsWith(".json.gz")) continue;
          const text = zlib.gunzipSync(fs.readFileSync(path.join(folder, day, name))).toString("utf8").trimEnd();
          if (text !== "") parts.push(text.split("\n").join(","));
        }
      }
      const file = `bench_${spec.tableName}.json`;
      db.registerFileText(file, `[${parts.join(",")}]`);
      const columns: Record<string, arrow.DataType> = {};
      for (const c of tableColumns(spec.template)) {
        if (c.type === "string" && c.name !== "delivery_date") columns[c.name] = new arrow.Utf8();
        else if (c.type === "int") columns[c.name] = new arrow.Int32();
      }
      const t1 = performance.now();
      conn.insertJSONFromPath(file, { name: spec.tableName, schema: "bench_json", create: true, shape: "row-array" as JSONTableShape, columns });
      ms += performance.now() - t1;
      prepareMs += t1 - t0;
      db.dropFile(file);
      const counted = conn.query(`SELECT COUNT(*) AS n FROM bench_json.${spec.tableName}`).toArray()[0] as { n: bigint | number };
      rows += Number(counted.n);
    }
  } finally {
    conn.query("DROP SCHEMA IF EXISTS bench_json CASCADE");
    conn.close();
  }
  return { ms, prepareMs, rows };
}

/** DuckDB appending the loaded rows from the open tables into new ones: what putting them into a table costs it. */
async function duckdbAppendFloor(reports: LocalReports): Promise<number> {
  const db = await sharedDuckDB();
  const conn = db.connect();
  const source = (await reports.query({ name: "schema", description: "", params: [], sql: "SELECT current_schema() AS s", file: "bench", tables: [] }, []))
    .rows[0].s as string;
  try {
    conn.query("CREATE SCHEMA bench_floor");
    for (const spec of supportedTemplateSpecs()) conn.query(`CREATE TABLE bench_floor.${spec.tableName} AS SELECT * FROM ${source}.${spec.tableName} LIMIT 0`);
    const t0 = performance.now();
    for (const spec of supportedTemplateSpecs()) conn.query(`INSERT INTO bench_floor.${spec.tableName} SELECT * FROM ${source}.${spec.tableName}`);
    return performance.now() - t0;
  } finally {
    conn.query("DROP SCHEMA IF EXISTS bench_floor CASCADE");
    conn.close();
  }
}

export async function bench(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-bench-report-"));
  const bucket = path.join(root, "bucket");
  const synced = path.join(root, "synced");
  const out = path.join(root, "report.html");
  try {
    const t0 = performance.now();
    const { rows, files } = generateReportsBucket(bucket, REPORT_BENCH_DATA);
    console.log(
      `generated ${REPORT_BENCH_DATA.accounts} accounts × ${REPORT_BENCH_DATA.days} days: ${rows} rows in ${files} files (${Math.round(performance.now() - t0)} ms)`,
    );
    const t1 = performance.now();
    fs.cpSync(bucket, synced, { recursive: true });
    await normalizeFolder(synced, synced);
    console.log(`synced copy with the partitioner's normalised copies and their records written beside it (${Math.round(performance.now() - t1)} ms)`);

    // Fresh processes, one after the other, in rounds: each round starts from empty caches.
    const cacheRaw = path.join(root, "cache-raw");
    const cacheSynced = path.join(root, "cache-synced");
    const empty = (dir: string) => () => fs.rmSync(dir, { recursive: true, force: true });
    const modes: Array<[string, string, readonly string[], (() => void) | null]> = [
      ["full run (--no-cache)", bucket, ["--no-cache"], null],
      ["first run, cache empty (cold)", bucket, ["--cache", cacheRaw], empty(cacheRaw)],
      ["second run, same folder (warm cache)", bucket, ["--cache", cacheRaw], null],
      ["  the same without its table snapshot", bucket, ["--cache", cacheRaw], () => dropSnapshots(cacheRaw)],
      ["synced with the normalised copies", synced, ["--cache", cacheSynced], empty(cacheSynced)],
      ["synced folder, second run", synced, ["--cache", cacheSynced], null],
    ];
    const runs = modes.map((): Run[] => []);
    for (let round = 0; round < ROUNDS; round++) {
      modes.forEach(([, folder, args, before], i) => {
        before?.();
        runs[i].push(runReport(folder, out, args));
      });
    }
    const size = fs.statSync(out).size;
    console.log(
      `backup-audit report, fresh process each, median of ${ROUNDS} rounds (wall; CPU of all threads) (target ≤ 20 s); ` +
        `page ${(size / 1024 / 1024).toFixed(2)} MB (target ≤ 2 MB):`,
    );
    const wall = runs.map((r) => median(r.map((x) => x.ms)));
    const cpu = runs.map((r) => median(r.map((x) => x.cpuMs)));
    modes.forEach(([label], i) => {
      console.log(
        `  ${label.padEnd(38)} ${seconds(wall[i]).padStart(7)}  (${runs[i].map((x) => seconds(x.ms)).join(", ")}); CPU ${seconds(cpu[i])}; ${runs[i][0].origins}`,
      );
    });
    console.log(
      `  second run / first run: ${(wall[2] / wall[1]).toFixed(2)} wall, ${(cpu[2] / cpu[1]).toFixed(2)} CPU (target < 0.33); ` +
        `without the snapshot: ${(wall[3] / wall[1]).toFixed(2)} wall; ` +
        `synced with copies / first run: ${(wall[4] / wall[1]).toFixed(2)} wall, ${(cpu[4] / cpu[1]).toFixed(2)} CPU`,
    );
    const cacheBytes = dirBytes(cacheRaw);
    console.log(`  cache for the folder: ${(cacheBytes / 1024 / 1024).toFixed(0)} MiB (raw CSVs ${(dirBytes(bucket) / 1024 / 1024).toFixed(0)} MiB)`);

    // The load alone, in this process, the engine started first.
    await sharedDuckDB();
    const columns = columnsReadBy(Object.values(loadReportQueries()));
    const loads: Array<[string, string, LocalReportsOptions, (() => void)?]> = [
      ["normalising every raw CSV now", bucket, { cacheDir: null, bucketCopies: false, columns }],
      ["the bucket's normalised copies", synced, { cacheDir: null, columns }],
      ["the warm cache, every column", bucket, { cacheDir: cacheRaw }, () => dropSnapshots(cacheRaw)],
      ["the warm cache's per-file entries", bucket, { cacheDir: cacheRaw, columns }, () => dropSnapshots(cacheRaw)],
      ["the warm cache's table snapshot", bucket, { cacheDir: cacheRaw, columns }],
    ];
    const loaded = Object.values(columns).reduce((n, c) => n + c.length, 0);
    const every = Object.values(allColumns()).reduce((n, c) => n + c.length, 0);
    console.log(`load alone, in-process (engine already started; 497,700 rows into DuckDB; the report's ${loaded} of ${every} columns unless said):`);
    let warm: LocalReports | null = null;
    for (const [label, folder, options, before] of loads) {
      before?.();
      const { ms, reports } = await loadAlone(folder, options);
      console.log(`  ${label.padEnd(36)} ${seconds(ms).padStart(7)}  (${JSON.stringify(reports.origins)})`);
      if (warm === null && label === "the warm cache, every column") warm = reports;
      else await reports.close();
    }
    const json = await duckdbJsonLoad(synced);
    console.log(
      `  DuckDB-wasm's built-in JSON reader on the same JSON Lines (insertJSONFromPath, map column left out) ${seconds(json.ms)} ` +
        `for ${json.rows} rows (+ ${seconds(json.prepareMs)} to inflate them into JSON arrays); read_json is an extension, not built in`,
    );
    if (warm !== null) {
      try {
        console.log(`  DuckDB appending the same rows from another table (INSERT … SELECT: the engine's floor) ${seconds(await duckdbAppendFloor(warm))}`);
      } finally {
        await warm.close();
      }
    }

    // One in-process build from the warm cache, phase by phase.
    const p0 = performance.now();
    const reports = await openLocalReports(bucket, { cacheDir: cacheRaw, columns });
    try {
      const p1 = performance.now();
      const figures = await collectReportFigures(reports, loadReportQueries(), { period: { from: null, to: null }, topN: 20 });
      const p2 = performance.now();
      const source = { kind: "local" as const, folder: root, files: [], skippedFiles: 0, origins: reports.origins };
      const page = renderHtml({ figures, source, generatedAt: new Date().toISOString() });
      const markdown = renderMarkdown({ figures, source, generatedAt: "" });
      const p3 = performance.now();
      console.log(
        `in-process from the cache: open ${Math.round(p1 - p0)} ms (load ${Math.round(reports.timings.loadMs)} ms), ` +
          `8 queries ${Math.round(p2 - p1)} ms, render ${Math.round(p3 - p2)} ms`,
      );
      console.log(`marks: ${Object.entries(page.marks).map(([k, v]) => `${k} ${v}`).join(", ")}; markdown ${Buffer.byteLength(markdown)} bytes`);
    } finally {
      await reports.close();
    }

    // V8's tiering budget (queries/duckdb.ts): the same queries repeated in one process, with and without it.
    console.log(`the report's 8 queries ${TIERING_ROUNDS} times over in one process, from the warm cache (ms per round):`);
    for (const [label, options] of [
      ["V8's default tiering budget", []],
      [`the engine's options (${ENGINE_NODE_OPTIONS.join(" ")})`, ENGINE_NODE_OPTIONS],
    ] as const) {
      const child = spawnSync(process.execPath, [...options, REPEATED_QUERIES, bucket, cacheRaw, String(TIERING_ROUNDS)], { encoding: "utf8" });
      if (child.status !== 0) throw new Error(`repeated queries failed (${child.status}): ${child.stderr}`);
      const r = JSON.parse(child.stdout) as { engineStartMs: number; loadMs: number; rounds: number[] };
      console.log(`  ${label.padEnd(56)} start ${r.engineStartMs}, load ${r.loadMs}, rounds ${r.rounds.join(" ")}`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const REPEATED_QUERIES = path.join(__dirname, "repeated-queries.js");
const TIERING_ROUNDS = 5;

/** Removes the table snapshots (queries/table-snapshot.ts) of every folder under a cache root. */
function dropSnapshots(cacheRoot: string): void {
  for (const folder of fs.readdirSync(cacheRoot)) fs.rmSync(path.join(cacheRoot, folder, "tables"), { recursive: true, force: true });
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += fs.statSync(path.join(e.parentPath, e.name)).size;
  }
  return total;
}

if (require.main === module) {
  bench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
