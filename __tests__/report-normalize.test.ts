import * as fs from "fs";
import * as path from "path";
import { Readable, Writable } from "stream";
import { gunzipSync } from "zlib";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { normalizeReport, ReportParseError } from "../reports/normalize";
import { parseReportKey, type ParsedReportKey } from "../reports/report-key";
import { defaultReportTables } from "../reports/report-tables";
import { allTemplateSpecs, columnForHeader, headerKey, templateSpec, type ReportTemplate } from "../reports/templates";

const FIXTURES = path.join(__dirname, "fixtures", "reports");

function key(file = "backup_job_report_p_a_b_1.csv", scope = "crossaccount", region = "crossregion"): ParsedReportKey {
  const parsed = parseReportKey(`BackupJob/Backup/${scope}/${region}/2026/03/15/p/${file}`, defaultReportTables());
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed;
}

/** Normalises `chunks` (fed one by one, to cross chunk borders) into memory. */
async function normalize(chunks: Array<string | Buffer>, parsed = key()) {
  const out: Buffer[] = [];
  let committed = false;
  let aborted = false;
  const outcome = await normalizeReport(Readable.from(chunks.map((c) => Buffer.from(c))), parsed, () => ({
    stream: new Writable({ write: (c: Buffer, _e, done) => (out.push(c), done()) }),
    commit: async () => void (committed = true),
    abort: async () => void (aborted = true),
  })).catch((err: unknown) => ({ kind: "error" as const, err }));
  const rows = !committed ? [] : gunzipSync(Buffer.concat(out)).toString("utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  return { outcome, rows, committed, aborted };
}

describe("the header table", () => {
  test("no spelling names two columns, and every canonical name is snake_case", () => {
    for (const spec of allTemplateSpecs()) {
      const seen = new Map<string, string>();
      for (const c of spec.columns) {
        expect(c.name).toMatch(/^[a-z][a-z0-9_]*$/);
        for (const s of c.spellings) {
          const k = headerKey(s);
          expect([spec.template, s, seen.get(k) ?? c.name]).toEqual([spec.template, s, c.name]);
          seen.set(k, c.name);
        }
      }
      expect(new Set(spec.columns.map((c) => c.name)).size).toBe(spec.columns.length);
    }
  });

  test("every header of every fixture file maps to a column of its template", () => {
    const files: Array<[string, ReportTemplate]> = [
      ["BACKUP_JOB_REPORT.csv", "BACKUP_JOB_REPORT"],
      ["COPY_JOB_REPORT.csv", "COPY_JOB_REPORT"],
      ["RESTORE_JOB_REPORT.csv", "RESTORE_JOB_REPORT"],
      ["CONTROL_COMPLIANCE_REPORT.csv", "CONTROL_COMPLIANCE_REPORT"],
      ["RESOURCE_COMPLIANCE_REPORT.csv", "RESOURCE_COMPLIANCE_REPORT"],
      ["variants/BACKUP_JOB_REPORT.enhanced-context-UNCONFIRMED.csv", "BACKUP_JOB_REPORT"],
    ];
    for (const [file, template] of files) {
      const [header] = parse(fs.readFileSync(path.join(FIXTURES, file)), { to: 1 }) as string[][];
      expect([file, header.filter((h) => columnForHeader(template, h) === undefined)]).toEqual([file, []]);
    }
  });

  test("spellings meet regardless of case, spacing, punctuation and a [...] suffix", () => {
    for (const h of ["Account Id", "Account ID", "AccountId", "accountId", "account_id", " Account Id [12 digits] "]) {
      expect(columnForHeader("BACKUP_JOB_REPORT", h)?.name).toBe("account_id");
    }
    expect(columnForHeader("BACKUP_JOB_REPORT", "PathToRoot")?.organizationOnly).toBe(true);
    expect(columnForHeader("BACKUP_JOB_REPORT", "Shiny New Column")).toBeUndefined();
  });
});

describe("normalizeReport", () => {
  test("RFC 4180 across chunk borders: BOM, CRLF, quoted commas, doubled quotes, line breaks", async () => {
    const text = '\uFEFF"Backup Job Id","Status Message","Job Status"\r\n"J1","a, ""b""\r\nc","FAILED"\r\nJ2,,COMPLETED\r\n';
    const bytes = Buffer.from(text);
    // Split inside the BOM, inside a quoted field and inside the CRLF.
    const { outcome, rows, committed } = await normalize([bytes.subarray(0, 2), bytes.subarray(2, 60), bytes.subarray(60, 79), bytes.subarray(79)]);
    expect(outcome).toMatchObject({ kind: "normalized", rows: 2, bytesIn: bytes.length });
    expect(committed).toBe(true);
    expect(rows.map((r) => [r.backup_job_id, r.status_message, r.job_status])).toEqual([
      ["J1", 'a, "b"\r\nc', "FAILED"],
      ["J2", "", "COMPLETED"],
    ]);
  });

  test("a duplicate header keeps the first and files the second under unknown_columns; a new signature", async () => {
    const { outcome, rows } = await normalize(['"Account Id","AccountId","Job Status"\n"1","2","X"\n']);
    expect(outcome).toMatchObject({ kind: "normalized", header: { duplicateHeaders: ["AccountId"], newSignature: true } });
    expect(rows[0]).toMatchObject({ account_id: "1", job_status: "X", unknown_columns: { AccountId: "2" } });
  });

  test("the signature ignores nothing but case and punctuation of the headers: order changes it", async () => {
    const a = await normalize(['"Account Id","Job Status"\n"1","X"\n']);
    const b = await normalize(['"account id","JOB STATUS"\n"1","X"\n']);
    const c = await normalize(['"Job Status","Account Id"\n"X","1"\n']);
    const sig = (r: typeof a) => (r.outcome.kind === "normalized" ? r.outcome.header.signature : "");
    expect(sig(a)).toBe(sig(b));
    expect(sig(a)).not.toBe(sig(c));
    expect(a.outcome.kind === "normalized" && a.outcome.header.newSignature).toBe(false);
  });

  test("property: every value comes back from the JSON exactly (escapes, control characters, non-ASCII, lone surrogates)", async () => {
    const value = fc.string({
      unit: fc.oneof(
        fc.constantFrom('"', "\\", ",", "\r\n", "\n", "\t", "\u0000", "\u001f", "\u007f", "é", "€", "😀", "\ud800", "\udfff", "/"),
        fc.string({ minLength: 1, maxLength: 1 }),
      ),
      maxLength: 20,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 30 }), fc.nat({ max: 200 }), async (pairs, cut) => {
        const csv = (v: string) => `"${v.replace(/"/g, '""')}"`;
        const text = '"Backup Job Id","Status Message","Not A Column"\r\n' + pairs.map(([a, b]) => `${csv(a)},${csv(b)},${csv(b + a)}`).join("\r\n") + "\r\n";
        // A lone surrogate cannot be encoded in UTF-8 (it becomes U+FFFD in the file), so compare with what the file holds.
        const bytes = Buffer.from(text, "utf8");
        const held = bytes.toString("utf8");
        const expected = parse(Buffer.from(held, "utf8"), { from_line: 2 }) as string[][];
        const at = cut % (bytes.length + 1);
        const { rows } = await normalize([bytes.subarray(0, at), bytes.subarray(at)]);
        expect(rows.map((r) => [r.backup_job_id, r.status_message, r.unknown_columns["Not A Column"]])).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  test("a long blank prefix is neither held nor mistaken: blank only is empty, blank then a report is the report", async () => {
    const blank = Array.from({ length: 200 }, () => "   \r\n".repeat(100));
    const onlyBlank = await normalize(["\uFEFF", ...blank]);
    expect(onlyBlank.outcome).toMatchObject({ kind: "skipped", reason: "empty-file" });
    const thenJson = await normalize([...blank, '{"reportItems": []}']);
    expect(thenJson.outcome).toMatchObject({ kind: "skipped", reason: "json-content" });
    const thenReport = await normalize([...blank.map((b) => b.replace(/ /g, "")), '"Backup Job Id","Job Status"\r\n"J1","COMPLETED"\r\n']);
    expect(thenReport.outcome).toMatchObject({ kind: "normalized", rows: 1 });
    expect(thenReport.rows[0]).toMatchObject({ backup_job_id: "J1", job_status: "COMPLETED" });
  });

  test("an error after output started aborts the sink and names the line", async () => {
    // 20,000 rows (~250 KB): past the splitter's first 48 KiB, so the sink is open when the error comes.
    const body = ['"Backup Job Id","Job Status"\n', ...Array.from({ length: 20000 }, (_, i) => `"J${i}","OK"\n`), '"J-bad","unclosed\n'];
    const { outcome, committed, aborted } = await normalize(body);
    expect(outcome.kind).toBe("error");
    const err = (outcome as { err: unknown }).err;
    expect(err).toBeInstanceOf(ReportParseError);
    expect((err as ReportParseError).line).toBe(20002);
    expect([committed, aborted]).toEqual([false, true]);
  });

  test("the template's columns are the table's: an empty field is '', a missing column is absent", async () => {
    const spec = templateSpec("BACKUP_JOB_REPORT");
    const { rows } = await normalize(['"Backup Job Id","Resource Name"\n"J1",""\n']);
    expect(rows[0].resource_name).toBe("");
    expect("path_to_root" in rows[0]).toBe(false);
    expect(Object.keys(rows[0]).filter((k) => !spec.columns.some((c) => c.name === k))).toEqual([
      "source_key", "delivery_scope", "delivery_region", "report_plan", "part_number", "header_signature", "unknown_columns",
    ]);
  });
});
