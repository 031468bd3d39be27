import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { crc32 } from "node:zlib";
import { normalizedObjectKey } from "../reports/normalized-table";
import { normalizedSourceKey } from "../reports/normalized-source";
import type { ParsedReportKey } from "../reports/report-key";
import type { ReportTemplate } from "../reports/templates";
import { END_OF_STREAM, recordBatches, schemaMessage } from "./arrow-rows";
import type { ColumnSelection } from "./column-selection";
import { loaderFingerprint } from "./local-cache";
import type { FileOrigin } from "./resolve-report-file";

/**
 * The cache's table snapshots: per column selection, each table's rows as one Arrow stream, as the last run that
 * read every file appended them, with what they were read from. A run whose inputs are unchanged appends those
 * streams as they are: no worker threads, no per-file entries read, hashed or cut down, which on two cores leaves
 * the engine's start-up a core of its own (the per-file entries stay the source of truth; a snapshot is rebuilt
 * from them whenever anything differs).
 *
 *   <cache folder>/tables/<selection id>/manifest.json     inputs, files, warnings, each table's size and CRC-32
 *   <cache folder>/tables/<selection id>/<table>.arrow
 *
 * "Unchanged" is the quick check the per-file entries make of raw files (queries/local-cache.ts), over every input
 * a file's rows depend on: the raw file's size and modification time, and those of its bucket copy and the copy's
 * recorded source (or their absence); plus the normaliser's and loader's fingerprint and whether copies are read.
 */

const SNAPSHOT_FORMAT = "backup-audit-insights/table-snapshot/1";
/** Snapshots kept per cache folder (one per column selection: the report's, and a few `query` runs'). */
const KEPT_SNAPSHOTS = 3;

/** Size and modification time of a file, or null when it does not exist. */
type FileStamp = readonly [bytes: number, mtimeMs: number] | null;

/** One report file's inputs: its key, and the stamps of the raw file, its bucket copy and the copy's record. */
type InputStamp = readonly [key: string, raw: FileStamp, copy: FileStamp, copyRecord: FileStamp];

/** A report file as the snapshot lists it (what `LoadedReportFile` holds, its origin aside). */
export interface SnapshotFile {
  readonly key: string;
  readonly normalizedKey: string;
  readonly tableName: string;
  readonly deliveryDate: string;
  readonly rows: number;
}

interface SnapshotTable {
  readonly template: ReportTemplate;
  readonly bytes: number;
  readonly crc32: number;
}

interface Manifest {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly fingerprint: string;
  readonly bucketCopies: boolean;
  readonly columns: ColumnSelection;
  readonly inputs: readonly InputStamp[];
  readonly files: readonly SnapshotFile[];
  /** Per-file lines a cache hit repeats (drift, skipped files), in file order. */
  readonly warnings: readonly string[];
  /** Files whose bucket copy has no recorded source. */
  readonly withoutRecord: number;
  readonly tables: Readonly<Record<string, SnapshotTable>>;
}

/** What a run reads, to find its snapshot or to describe the one it writes. */
export interface SnapshotRequest {
  readonly cacheDir: string;
  readonly root: string;
  readonly normalizedPrefix: string;
  readonly bucketCopies: boolean;
  readonly columns: ColumnSelection;
  readonly files: readonly ParsedReportKey[];
}

/** A usable snapshot: its files and lines, and each table's stream (selected columns, checked). */
export interface SnapshotHit {
  readonly files: readonly (SnapshotFile & { readonly origin: FileOrigin })[];
  readonly warnings: readonly string[];
  readonly withoutRecord: number;
  readonly tables: readonly { readonly tableName: string; readonly template: ReportTemplate; readonly stream: Uint8Array }[];
}

export type SnapshotLookup =
  | { readonly kind: "hit"; readonly snapshot: SnapshotHit }
  /** No snapshot for these inputs (none yet, or they changed); `warning` when one was there but corrupt. */
  | { readonly kind: "miss"; readonly writer: TableSnapshotWriter; readonly warning: string | null };

/** The snapshot of these inputs, or a writer for the one this run will build. */
export function lookUpTableSnapshot(request: SnapshotRequest): SnapshotLookup {
  const inputs = inputStamps(request);
  const dir = snapshotDir(request.cacheDir, request.columns);
  const manifest = readManifest(path.join(dir, "manifest.json"));
  const writer = (): TableSnapshotWriter => new TableSnapshotWriter(dir, request, inputs);
  if (
    manifest === null ||
    manifest.fingerprint !== loaderFingerprint() ||
    manifest.bucketCopies !== request.bucketCopies ||
    // The folder's name is a truncated hash of the selection: the manifest names it in full.
    JSON.stringify(manifest.columns) !== JSON.stringify(request.columns) ||
    JSON.stringify(manifest.inputs) !== JSON.stringify(inputs)
  ) {
    return { kind: "miss", writer: writer(), warning: null };
  }
  const tables: { tableName: string; template: ReportTemplate; stream: Uint8Array }[] = [];
  for (const [tableName, table] of Object.entries(manifest.tables)) {
    const file = path.join(dir, `${tableName}.arrow`);
    let stream: Buffer;
    try {
      stream = fs.readFileSync(file);
    } catch {
      return { kind: "miss", writer: writer(), warning: `the cache's table snapshot ${file} is missing: read from the per-file entries` };
    }
    const columns = request.columns[tableName];
    if (
      columns === undefined ||
      stream.length !== table.bytes ||
      crc32(stream) !== table.crc32 ||
      typeof recordBatches(table.template, stream, columns) === "string"
    ) {
      return {
        kind: "miss",
        writer: writer(),
        warning: `the cache's table snapshot ${file} is corrupt (${stream.length} bytes; recorded ${table.bytes}): read from the per-file entries`,
      };
    }
    tables.push({ tableName, template: table.template, stream });
  }
  return {
    kind: "hit",
    snapshot: {
      files: manifest.files.map((f) => ({ ...f, origin: "cache" as const })),
      warnings: manifest.warnings,
      withoutRecord: manifest.withoutRecord,
      tables,
    },
  };
}

/**
 * Builds a snapshot while a run appends: each table's record batches are written as they are appended, and the
 * snapshot replaces the previous one only when `commit` names the run's files (a failed run leaves none behind).
 */
export class TableSnapshotWriter {
  private readonly temp: string;
  private readonly open = new Map<string, { fd: number; template: ReportTemplate; bytes: number; crc32: number }>();
  private done = false;

  constructor(
    private readonly dir: string,
    private readonly request: SnapshotRequest,
    private readonly inputs: readonly InputStamp[],
  ) {
    this.temp = `${dir}.${process.pid}.partial`;
  }

  /** Record batches (of the table's selected columns) about to be appended to `tableName`. */
  add(tableName: string, template: ReportTemplate, batches: readonly Uint8Array[]): void {
    if (this.done) return;
    try {
      let table = this.open.get(tableName);
      if (table === undefined) {
        if (this.open.size === 0) {
          fs.rmSync(this.temp, { recursive: true, force: true });
          fs.mkdirSync(this.temp, { recursive: true });
        }
        table = { fd: fs.openSync(path.join(this.temp, `${tableName}.arrow`), "w"), template, bytes: 0, crc32: 0 };
        this.open.set(tableName, table);
        this.write(table, schemaMessage(template, this.request.columns[tableName]));
      }
      for (const batch of batches) this.write(table, batch);
    } catch {
      // A snapshot only saves time (a full disk, say, must not fail the run): this run writes none.
      this.abort();
    }
  }

  /** Puts the snapshot in place: the run read every file; `warnings` are the per-file lines, in file order. */
  commit(files: readonly SnapshotFile[], warnings: readonly string[], withoutRecord: number): void {
    if (this.done) return;
    this.done = true;
    const tables: Record<string, SnapshotTable> = {};
    try {
      if (this.open.size === 0) fs.mkdirSync(this.temp, { recursive: true });
      for (const [tableName, table] of this.open) {
        this.write(table, END_OF_STREAM);
        fs.closeSync(table.fd);
        tables[tableName] = { template: table.template, bytes: table.bytes, crc32: table.crc32 };
      }
      this.open.clear();
      const manifest: Manifest = {
        format: SNAPSHOT_FORMAT,
        fingerprint: loaderFingerprint(),
        bucketCopies: this.request.bucketCopies,
        columns: this.request.columns,
        inputs: this.inputs,
        files: files.map(({ key, normalizedKey, tableName, deliveryDate, rows }) => ({ key, normalizedKey, tableName, deliveryDate, rows })),
        warnings,
        withoutRecord,
        tables,
      };
      // Plain writes: the whole folder is renamed into place below.
      fs.writeFileSync(path.join(this.temp, "manifest.json"), `${JSON.stringify(manifest)}\n`);
      fs.rmSync(this.dir, { recursive: true, force: true });
      fs.renameSync(this.temp, this.dir);
      pruneSnapshots(path.dirname(this.dir));
    } catch {
      this.abort();
    }
  }

  /** Drops what was written (the run failed). */
  abort(): void {
    this.done = true;
    // Best effort: a leftover `.partial` folder is never read, and the next snapshot of this selection replaces it.
    for (const table of this.open.values()) {
      try {
        fs.closeSync(table.fd);
      } catch {
        // Closed already (commit failed after closing it).
      }
    }
    this.open.clear();
    try {
      fs.rmSync(this.temp, { recursive: true, force: true });
    } catch {
      // See above.
    }
  }

  private write(table: { fd: number; bytes: number; crc32: number }, bytes: Uint8Array): void {
    fs.writeSync(table.fd, bytes);
    table.bytes += bytes.length;
    table.crc32 = crc32(bytes, table.crc32);
  }
}

/** The snapshot folder of a column selection (its tables and columns, in order). */
function snapshotDir(cacheDir: string, columns: ColumnSelection): string {
  const key = JSON.stringify(Object.keys(columns).sort().map((t) => [t, columns[t]]));
  return path.join(cacheDir, "tables", createHash("sha256").update(key).digest("hex").slice(0, 16));
}

function inputStamps(request: SnapshotRequest): InputStamp[] {
  const at = (key: string): string => path.join(request.root, ...key.split("/"));
  return request.files.map((parsed) => {
    const normalizedKey = normalizedObjectKey(parsed, request.normalizedPrefix);
    return request.bucketCopies
      ? [parsed.key, stamp(at(parsed.key)), stamp(at(normalizedKey)), stamp(at(normalizedSourceKey(normalizedKey, request.normalizedPrefix)))]
      : [parsed.key, stamp(at(parsed.key)), null, null];
  });
}

function stamp(file: string): FileStamp {
  try {
    const s = fs.statSync(file);
    return [s.size, s.mtimeMs];
  } catch {
    return null;
  }
}

function readManifest(file: string): Manifest | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Manifest> | null;
    if (value === null || typeof value !== "object" || value.format !== SNAPSHOT_FORMAT) return null;
    if (!Array.isArray(value.inputs) || !Array.isArray(value.files) || !Array.isArray(value.warnings)) return null;
    if (typeof value.tables !== "object" || value.tables === null || typeof value.withoutRecord !== "number") return null;
    return value as Manifest;
  } catch {
    return null;
  }
}

/** Keeps the KEPT_SNAPSHOTS most recently written snapshots of a cache folder, and removes a killed run's leftovers. */
function pruneSnapshots(tablesDir: string): void {
  const entries = fs.readdirSync(tablesDir, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const e of entries.filter((e) => e.name.endsWith(".partial"))) {
    const dir = path.join(tablesDir, e.name);
    // Another run may be writing it now; one that is an hour old was left by a run that was killed.
    if ((stamp(dir)?.[1] ?? 0) < Date.now() - 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
  }
  const snapshots = entries
    .filter((e) => !e.name.endsWith(".partial"))
    .map((e) => {
      const dir = path.join(tablesDir, e.name);
      return { dir, mtimeMs: stamp(path.join(dir, "manifest.json"))?.[1] ?? 0 };
    })
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of snapshots.slice(KEPT_SNAPSHOTS)) fs.rmSync(old.dir, { recursive: true, force: true });
}
