import { createHash } from "node:crypto";
import { Readable, Writable } from "node:stream";
import * as arrow from "apache-arrow";
import { concatStreams, jsonLinesToArrow, recordBatches, LocalRowsError, StreamJoiner } from "../queries/arrow-rows";
import { normalizeReport, type NormalizeOutcome } from "../reports/normalize";
import {
  NORMALIZED_SOURCE_FORMAT,
  normalizedSourceKey,
  normalizedSourceRecord,
  normalizerFingerprint,
  parseNormalizedSource,
  recordMatchesSource,
  serializeNormalizedSource,
} from "../reports/normalized-source";
import { normalizedObjectKey, normalizedTableFolder } from "../reports/normalized-table";
import { parseReportKey, type ParsedReportKey } from "../reports/report-key";
import { defaultReportTables } from "../reports/report-tables";
import { supportedTemplateSpecs } from "../reports/templates";
import { gzipSync } from "node:zlib";

const KEY = "BackupJob/Backup/crossaccount/crossregion/2026/03/15/p/backup_job_report_p_a_b_1.csv";
const CSV = '"Account Id","Backup Job Id","Job Status","Shiny"\n"000011112222","J1","COMPLETED","x"\n"000011112222","J2","FAILED",""\n';

function parsed(key = KEY): ParsedReportKey {
  const p = parseReportKey(key, defaultReportTables());
  if (!p.ok) throw new Error(p.message);
  return p;
}

const sha256 = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");

async function normalize(text: string): Promise<{ outcome: NormalizeOutcome; written: Buffer }> {
  const out: Buffer[] = [];
  const outcome = await normalizeReport(Readable.from([Buffer.from(text)]), parsed(), () => ({
    stream: new Writable({ write: (c: Buffer, _e, done) => (out.push(c), done()) }),
    commit: async () => undefined,
    abort: async () => undefined,
  }));
  return { outcome, written: Buffer.concat(out) };
}

describe("the recorded source", () => {
  test("the normaliser digests every byte it reads and every byte it writes", async () => {
    const { outcome, written } = await normalize(CSV);
    expect(outcome).toMatchObject({
      kind: "normalized",
      rows: 2,
      source: { bytes: Buffer.byteLength(CSV), sha256: sha256(CSV) },
      output: { bytes: written.length, sha256: sha256(written) },
    });
    // A skipped file is digested too (what a cache can remember it by).
    const header = '"Account Id"\n';
    expect((await normalize(header)).outcome).toMatchObject({ kind: "skipped", source: { bytes: header.length, sha256: sha256(header) } });
  });

  test("the record names both sides and reads back; a changed raw file no longer matches", async () => {
    const { outcome } = await normalize(CSV);
    if (outcome.kind !== "normalized") throw new Error("expected a copy");
    const copyKey = normalizedObjectKey(parsed(), "normalized");
    const record = normalizedSourceRecord(outcome, KEY, copyKey, '"etag"');
    expect(record).toMatchObject({
      format: NORMALIZED_SOURCE_FORMAT,
      source: { key: KEY, bytes: Buffer.byteLength(CSV), sha256: sha256(CSV), etag: '"etag"' },
      copy: { key: copyKey, rows: 2 },
      header: { unknownHeaders: ["Shiny"], newSignature: true },
      normalizer: normalizerFingerprint(),
    });
    const text = serializeNormalizedSource(record);
    expect(text.endsWith("}\n")).toBe(true);
    expect(parseNormalizedSource(text)).toEqual(record);
    expect(recordMatchesSource(record, KEY, outcome.source)).toBe(true);
    const other = `${CSV}"000011112222","J3","RUNNING",""\n`;
    expect(recordMatchesSource(record, KEY, { bytes: Buffer.byteLength(other), sha256: sha256(other) })).toBe(false);
    expect(recordMatchesSource(record, KEY, { bytes: outcome.source.bytes, sha256: sha256("x") })).toBe(false);
    expect(recordMatchesSource(record, "elsewhere.csv", outcome.source)).toBe(false);
  });

  test("a record that is truncated, of another format or mistyped is refused with the reason", () => {
    expect(parseNormalizedSource('{"format": "backup-audit-insights/normalized-source/1", "sou')).toMatch(/^not JSON/);
    expect(parseNormalizedSource('{"format": "v0"}')).toBe(`format is "v0", not ${NORMALIZED_SOURCE_FORMAT}`);
    expect(parseNormalizedSource(JSON.stringify({ format: NORMALIZED_SOURCE_FORMAT, source: { key: "k", bytes: -1, sha256: "x", etag: null } }))).toBe(
      "source must be {key, bytes, sha256, etag}",
    );
    expect(parseNormalizedSource("[]")).toBe("not a JSON object");
  });

  test("records live outside every table's folder, in a tree of their own that the partitioner never reads", () => {
    for (const spec of supportedTemplateSpecs()) {
      for (const prefix of ["normalized", "data/normalized"]) {
        const copy = `${normalizedTableFolder(prefix, spec.tableName)}delivery_date=2026-03-15/crossaccount.crossregion.p.${spec.fileNamePrefix}p_1.json.gz`;
        const record = normalizedSourceKey(copy, prefix);
        expect(record).toBe(`${prefix}/_sources/${spec.tableName}/delivery_date=2026-03-15/crossaccount.crossregion.p.${spec.fileNamePrefix}p_1.source.json`);
        for (const other of supportedTemplateSpecs()) expect(record.startsWith(normalizedTableFolder(prefix, other.tableName))).toBe(false);
        // Not a report key either (an event for it is ignored as a non-CSV object).
        expect(parseReportKey(record, [{ template: spec.template, keyPrefix: "", tableName: spec.tableName }])).toMatchObject({ ok: false, reason: "not-csv" });
      }
    }
    expect(() => normalizedSourceKey("raw/x.csv", "normalized")).toThrow(/not a normalised copy/);
  });

  test("the fingerprint is 16 hex digits and stable within a build", () => {
    expect(normalizerFingerprint()).toMatch(/^[0-9a-f]{16}$/);
    expect(normalizerFingerprint()).toBe(normalizerFingerprint());
  });
});

describe("the loaded form: one Arrow stream per file, joined per table", () => {
  const lines = (rows: Array<Record<string, unknown>>): Buffer => gzipSync(rows.map((r) => JSON.stringify(r)).join("\n") + "\n");

  test("columns by name, absent keys NULL, the map kept; two files' streams join into one with both files' rows", () => {
    const a = jsonLinesToArrow("BACKUP_JOB_REPORT", lines([{ account_id: "1", job_status: "A", extra: "ignored", unknown_columns: { X: "y" } }]), "2026-03-15", "a");
    const b = jsonLinesToArrow("BACKUP_JOB_REPORT", lines([{ backup_job_id: "J", part_number: 2 }, { account_id: "3" }]), "2026-03-16", "b");
    expect([a.rows, b.rows, a.sourceKey]).toEqual([1, 2, null]);
    const batches = [a, b].map((s) => recordBatches("BACKUP_JOB_REPORT", s.ipc));
    expect(batches.every((x) => typeof x !== "string")).toBe(true);
    const table = arrow.tableFromIPC(concatStreams("BACKUP_JOB_REPORT", batches as Uint8Array[]));
    const rows = table.toArray().map((r: { toJSON(): Record<string, unknown> }) => r.toJSON());
    expect(rows.map((r) => [r.account_id, r.job_status, r.backup_job_id, r.part_number, r.delivery_date])).toEqual([
      ["1", "A", null, null, "2026-03-15"],
      [null, null, "J", 2, "2026-03-16"],
      ["3", null, null, null, "2026-03-16"],
    ]);
    const maps = table.getChild("unknown_columns")!;
    expect([0, 1].map((i) => (maps.get(i) as { toJSON(): unknown } | null)?.toJSON() ?? null)).toEqual([{ X: "y" }, null]);
    expect(table.schema.fields.map((f) => f.name)).not.toContain("extra");
  });

  test("the reused joining buffer gives the same bytes as concatStreams, also after a larger and a smaller join", () => {
    const many = jsonLinesToArrow("BACKUP_JOB_REPORT", lines(Array.from({ length: 50 }, (_, i) => ({ account_id: String(i), job_status: "COMPLETED" }))), "2026-03-15", "m");
    const one = jsonLinesToArrow("BACKUP_JOB_REPORT", lines([{ account_id: "7", backup_job_id: "J7" }]), "2026-03-16", "o");
    const [m, o] = [many, one].map((s) => recordBatches("BACKUP_JOB_REPORT", s.ipc) as Uint8Array);
    const joiner = new StreamJoiner();
    for (const parts of [[o], [m, o, m], [o, m], [o]]) {
      const joined = joiner.join("BACKUP_JOB_REPORT", parts);
      expect(Buffer.from(joined).equals(Buffer.from(concatStreams("BACKUP_JOB_REPORT", parts)))).toBe(true);
      const ids = arrow.tableFromIPC(joined).getChild("account_id")!.toArray() as string[];
      expect(ids.length).toBe(parts.reduce((n, p) => n + (p === m ? 50 : 1), 0));
      expect(ids[ids.length - 1]).toBe(parts[parts.length - 1] === m ? "49" : "7");
    }
  });

  test("a stream of another table or a truncated one is refused; a broken object names its line", () => {
    const copy = jsonLinesToArrow("COPY_JOB_REPORT", lines([{ copy_job_id: "C" }]), "2026-03-15", "c");
    expect(recordBatches("BACKUP_JOB_REPORT", copy.ipc)).toBe("not an Arrow stream of the BACKUP_JOB_REPORT table's columns");
    expect(recordBatches("COPY_JOB_REPORT", copy.ipc.subarray(0, copy.ipc.length - 3))).toBe("the Arrow stream has no end marker (truncated)");
    expect(() => jsonLinesToArrow("COPY_JOB_REPORT", gzipSync('{"copy_job_id": "C"}\n{"copy_job_id": \n'), "2026-03-15", "obj.json.gz")).toThrow(
      new LocalRowsError("obj.json.gz: line 2: not JSON (Unexpected end of JSON input)"),
    );
    expect(() => jsonLinesToArrow("COPY_JOB_REPORT", Buffer.from("plain"), "2026-03-15", "obj.json.gz")).toThrow(/^obj\.json\.gz: not a gzip object/);
    // The builders were emptied by the failure: the next file holds only its own rows.
    expect(jsonLinesToArrow("COPY_JOB_REPORT", lines([{ copy_job_id: "D" }]), "2026-03-15", "d").rows).toBe(1);
  });
});
