import * as fs from "fs";
import * as path from "path";
import * as arrow from "apache-arrow";
import fc from "fast-check";
import * as zlib from "zlib";
import { jsonLinesToArrow, projectStream } from "../queries/arrow-rows";
import { tableColumns } from "../reports/normalized-table";
import { loadNamedQueries, type NamedQuery } from "../queries/catalog";
import { allColumns, columnsReadBy, uncoveredColumns } from "../queries/column-selection";
import { openLocalReports, type LocalReports } from "../queries/local-engine";
import { loadReportQueries } from "../dashboard/data";
import { buildTestBucket } from "./queries-fixture-bucket";

/** A named query of `sql` reading `tables`, as the catalog would give it. */
function query(sql: string, tables: string[], name = "q"): NamedQuery {
  return { name, description: "test", params: [], sql, file: `/tmp/${name}.sql`, tables };
}

const BACKUP_COLUMNS = tableColumns("BACKUP_JOB_REPORT").map((c) => c.name);

describe("columnsReadBy", () => {
  test("a query loads the columns it names, in table order, and nothing of the tables it does not read", () => {
    const selection = columnsReadBy([
      query("SELECT job_status, account_id, COUNT(*) AS n FROM backup_job_report WHERE delivery_date >= '2026-01-01' GROUP BY 1, 2", ["backup_job_report"]),
    ]);
    expect(Object.keys(selection)).toEqual(["backup_job_report"]);
    expect(selection.backup_job_report).toEqual(["account_id", "job_status", "delivery_date"]);
  });

  test("names in comments and string literals do not count; quoted identifiers do", () => {
    const selection = columnsReadBy([
      query(`-- region and resource_arn are described here only\nSELECT "account_id" FROM backup_job_report b WHERE b.job_status <> 'status_message'`, ["backup_job_report"]),
    ]);
    expect(selection.backup_job_report).toEqual(["account_id", "job_status"]);
  });

  test.each([
    ["a star on the table's alias", "SELECT b.* FROM backup_job_report b"],
    ["a star on the table itself", "SELECT backup_job_report.* FROM backup_job_report"],
    ["SELECT *", "SELECT * FROM backup_job_report"],
    ["SELECT DISTINCT *", "SELECT DISTINCT * FROM backup_job_report"],
    ["a star after a column", "SELECT account_id, * FROM backup_job_report"],
    ["a NATURAL join", "SELECT account_id FROM backup_job_report NATURAL JOIN accounts"],
    ["DuckDB's COLUMNS()", "SELECT COLUMNS('.*_date') FROM backup_job_report"],
  ])("%s loads the whole table", (_what, sql) => {
    expect(columnsReadBy([query(sql, ["backup_job_report"])]).backup_job_report).toEqual(BACKUP_COLUMNS);
  });

  test("COUNT(*), a star on a CTE and multiplication read nothing more", () => {
    const sql = `WITH f AS (SELECT account_id, region FROM backup_job_report b)
      SELECT f.*, COUNT(*) AS n, 2 * COUNT( * ) AS twice FROM f GROUP BY ALL`;
    expect(columnsReadBy([query(sql, ["backup_job_report"])]).backup_job_report).toEqual(["account_id", "region"]);
  });

  test("several queries: the union per table", () => {
    const selection = columnsReadBy([
      query("SELECT account_id FROM backup_job_report", ["backup_job_report"]),
      query("SELECT region FROM backup_job_report UNION ALL SELECT region FROM copy_job_report", ["backup_job_report", "copy_job_report"]),
    ]);
    expect(selection).toEqual({ backup_job_report: ["account_id", "region"], copy_job_report: ["region"] });
  });

  test("the report's queries load at most half of each job table's columns (no alias of a table meets a star)", () => {
    const selection = columnsReadBy(Object.values(loadReportQueries()));
    const all = allColumns();
    expect(Object.keys(selection).sort()).toEqual(Object.keys(all).sort());
    for (const table of ["backup_job_report", "copy_job_report", "restore_job_report"]) {
      expect([table, selection[table].length <= all[table].length / 2]).toEqual([table, true]);
    }
    expect(selection.backup_job_report).toEqual(expect.arrayContaining(["account_id", "job_status", "backup_job_id", "delivery_date"]));
  });

  test("uncoveredColumns names what a selection lacks for a query", () => {
    const q = query("SELECT account_id, resource_arn FROM backup_job_report", ["backup_job_report"]);
    expect(uncoveredColumns({ backup_job_report: ["account_id"] }, q)).toEqual(["backup_job_report.resource_arn"]);
    expect(uncoveredColumns({}, q)).toEqual(["backup_job_report.account_id", "backup_job_report.resource_arn"]);
    expect(uncoveredColumns(columnsReadBy([q]), q)).toEqual([]);
  });
});

describe("projectStream (record batches cut down byte by byte)", () => {
  const columns = tableColumns("RESOURCE_COMPLIANCE_REPORT");
  const names = columns.map((c) => c.name);
  const lines = (rows: number): Buffer =>
    zlib.gzipSync(
      Array.from({ length: rows }, (_, i) =>
        JSON.stringify({
          account_id: `1111222233${String(i % 100).padStart(2, "0")}`,
          resource_id: i % 3 === 0 ? null : `vol-${i}`,
          region: "eu-west-1",
          part_number: i % 5 === 0 ? null : i,
          unknown_columns: i % 4 === 0 ? null : { extra: `x${i}`, "odd key": i % 2 === 0 ? null : "y" },
        }),
      ).join("\n"),
    );

  test("any subset of the columns reads back as apache-arrow's own selection of them", () => {
    const ipc = jsonLinesToArrow("RESOURCE_COMPLIANCE_REPORT", lines(37), "2026-03-15", "test").ipc;
    const full = arrow.tableFromIPC(ipc);
    fc.assert(
      fc.property(fc.subarray(names, { minLength: 1 }), (kept) => {
        const projected = arrow.tableFromIPC(projectStream("RESOURCE_COMPLIANCE_REPORT", ipc, kept));
        expect(projected.schema.fields.map((f) => f.name)).toEqual(kept);
        expect(projected.numRows).toBe(37);
        expect(JSON.stringify(projected.toArray())).toEqual(JSON.stringify(full.select(kept).toArray()));
      }),
      { numRuns: 60 },
    );
  });

  test("every column: the stream itself; a stream of other columns is refused", () => {
    const ipc = jsonLinesToArrow("RESOURCE_COMPLIANCE_REPORT", lines(3), "2026-03-15", "test").ipc;
    expect(projectStream("RESOURCE_COMPLIANCE_REPORT", ipc, names)).toBe(ipc);
    expect(() => projectStream("BACKUP_JOB_REPORT", ipc, ["account_id"])).toThrow(/not an Arrow stream of the BACKUP_JOB_REPORT table's columns/);
  });
});

describe("the engine loads only the selected columns", () => {
  let bucket: string;
  let everything: LocalReports;
  const PARAMS: Record<string, string> = {
    from_day: "0000-01-01",
    to_day: "9999-12-31",
    top_n: "20",
    region: "us-east-1",
    ou_id: "ou-ab12-sec33333",
    control_name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
  };
  const named = [...loadNamedQueries(), ...Object.values(loadReportQueries())];

  beforeAll(async () => {
    bucket = buildTestBucket();
    everything = await openLocalReports(bucket);
  });

  afterAll(async () => {
    await everything?.close();
    if (bucket) fs.rmSync(bucket, { recursive: true, force: true });
  });

  test("every named and report query gives the same rows on its own columns as on all of them", async () => {
    let withRows = 0;
    for (const q of named) {
      const params = q.params.map((p) => PARAMS[p.name]);
      const selected = await openLocalReports(bucket, { columns: columnsReadBy([q]) });
      try {
        const expected = await everything.query(q, params);
        expect({ name: q.name, ...(await selected.query(q, params)) }).toEqual({ name: q.name, ...expected });
        if (expected.rows.length > 0) withRows++;
      } finally {
        await selected.close();
      }
    }
    // Not a comparison of empty results.
    expect(withRows).toBeGreaterThanOrEqual(named.length - 2);
  });

  test("files of tables no query reads are left alone and counted; a query reading other columns is refused", async () => {
    const q = named.find((n) => n.name === "non_compliant_resources_for_control")!;
    const reports = await openLocalReports(bucket, { columns: columnsReadBy([q]) });
    try {
      const o = everything.origins;
      expect(reports.files.every((f) => f.tableName === "resource_compliance_report")).toBe(true);
      expect(reports.files.length + reports.origins.notRead).toBe(o.bucketCopies + o.cache + o.normalized);
      expect(reports.origins.notRead).toBeGreaterThan(0);
      const other = named.find((n) => n.name === "failed_backup_jobs_in_region")!;
      await expect(reports.query(other, ["us-east-1"])).rejects.toThrow(
        /^query failed_backup_jobs_in_region reads 46 column\(s\) these reports were not loaded with: backup_job_report\.report_time_period_start, backup_job_report\.report_time_period_end, backup_job_report\.path_to_root, backup_job_report\.account_id and 42 more \(open them with the columnsReadBy of every query to run\)$/,
      );
    } finally {
      await reports.close();
    }
  });

  test("a folder with report files of no table the queries read is an error naming the tables", async () => {
    const only = fs.mkdtempSync(path.join(bucket, "..", "only-backup-"));
    try {
      const backup = fs.readdirSync(bucket, { recursive: true }).map(String).find((f) => /\/\d{4}\/\d{2}\/\d{2}\/.*backup_job_report_.*\.csv$/.test(f))!;
      fs.mkdirSync(path.dirname(path.join(only, backup)), { recursive: true });
      fs.copyFileSync(path.join(bucket, backup), path.join(only, backup));
      const q = named.find((n) => n.name === "non_compliant_resources_for_control")!;
      await expect(openLocalReports(only, { columns: columnsReadBy([q]) })).rejects.toThrow(
        /^none of the 1 report file\(s\) under .* belongs to a table the queries read \(resource_compliance_report\)$/,
      );
    } finally {
      fs.rmSync(only, { recursive: true, force: true });
    }
  });
});
