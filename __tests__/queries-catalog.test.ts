import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  countPlaceholders,
  defaultQueriesDir,
  findNamedQuery,
  loadNamedQueries,
  parseNamedQuery,
  queriesForTables,
} from "../queries/catalog";
import { reportQueriesDir } from "../dashboard/data";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-catalog-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function put(file: string, text: string): void {
  fs.writeFileSync(path.join(dir, file), text);
}

describe("the repository's queries", () => {
  const queries = loadNamedQueries();

  test("at least ten, each with a name, one-line description and the params their placeholders need", () => {
    expect(queries.length).toBeGreaterThanOrEqual(10);
    expect(defaultQueriesDir()).toBe(path.resolve(__dirname, "..", "queries"));
    for (const q of queries) {
      expect(q.name).toMatch(/^[a-z][a-z0-9_]+$/);
      expect(q.description).not.toMatch(/\n/);
      expect(countPlaceholders(q.sql)).toBe(q.params.length);
      expect(path.dirname(q.file)).toBe(defaultQueriesDir());
    }
    expect(queries.map((q) => [q.name, q.params.map((p) => p.name)])).toEqual([
      ["non_compliant_controls_in_region", ["region"]],
      ["non_compliant_controls_in_ou", ["ou_id"]],
      ["non_compliant_resources_for_control", ["control_name"]],
      ["failed_backup_jobs_in_region", ["region"]],
      ["failed_restore_jobs_in_region", ["region"]],
      ["aborted_copy_jobs_in_region", ["region"]],
      ["backup_job_success_rate_by_account_day", []],
      ["resources_failing_controls_across_accounts", []],
      ["accounts_without_completed_backup", ["from_day", "to_day"]],
      ["largest_backups", ["top_n"]],
      ["backup_jobs_completed_with_issues", []],
    ]);
  });

  test("stay in the Athena (Trino) + DuckDB common subset: no engine-only functions, no curly quotes (report queries too)", () => {
    const forbidden = [
      /\bdate_parse\s*\(/i, /\bstrptime\s*\(/i, /\bstrftime\s*\(/i, /\bdate_format\s*\(/i, /\bstring_agg\s*\(/i,
      /\blistagg\s*\(/i, /\barray_agg\s*\(/i, /\bregexp_matches\s*\(/i, /\bilike\b/i, /::/, /\bQUALIFY\b/i,
      /[\u2018\u2019\u201C\u201D]/, /\bFROM\s+read_csv/i, /\$\{/, /\bSUM\s*\(\s*CASE\b/i,
    ];
    for (const q of [...queries, ...loadNamedQueries(reportQueriesDir())]) {
      const body = q.sql.split("\n").filter((l) => !l.trim().startsWith("--")).join("\n");
      for (const pattern of forbidden) {
        if (pattern.test(body)) throw new Error(`${path.basename(q.file)} uses ${pattern}`);
      }
    }
  });

  test("know the report tables they read, so a landing zone without a template can leave them out", () => {
    const tables = Object.fromEntries(queries.map((q) => [q.name, q.tables]));
    expect(tables).toEqual({
      non_compliant_controls_in_region: ["control_compliance_report"],
      non_compliant_controls_in_ou: ["backup_job_report", "copy_job_report", "restore_job_report", "control_compliance_report"],
      non_compliant_resources_for_control: ["resource_compliance_report"],
      failed_backup_jobs_in_region: ["backup_job_report"],
      failed_restore_jobs_in_region: ["restore_job_report"],
      aborted_copy_jobs_in_region: ["copy_job_report"],
      backup_job_success_rate_by_account_day: ["backup_job_report"],
      resources_failing_controls_across_accounts: ["resource_compliance_report"],
      accounts_without_completed_backup: [
        "backup_job_report", "copy_job_report", "restore_job_report", "control_compliance_report", "resource_compliance_report",
      ],
      largest_backups: ["backup_job_report"],
      backup_jobs_completed_with_issues: ["backup_job_report"],
    });
    expect(queriesForTables(queries, ["backup_job_report", "control_compliance_report"]).map((q) => q.name)).toEqual([
      "non_compliant_controls_in_region",
      "failed_backup_jobs_in_region",
      "backup_job_success_rate_by_account_day",
      "largest_backups",
      "backup_jobs_completed_with_issues",
    ]);
  });

  test("findNamedQuery lists the known names on a miss", () => {
    expect(() => findNamedQuery(queries, "nope")).toThrow(
      `unknown query "nope"; known queries: ${queries.map((q) => q.name).join(", ")}`,
    );
  });
});

describe("header parsing", () => {
  test("reads name, description and params in placeholder order; accepts —, – , - and : as separators", () => {
    const q = parseNamedQuery(
      [
        "-- name: two_params",
        "-- description: A test query.",
        "-- param: a — first",
        "-- param: b - second",
        "-- param: c: third",
        "-- param: d – fourth",
        "SELECT ? AS a, ? AS b, ? AS c, ? AS d, 'cron(0 5 ? * * *)' AS literal, \"odd?name\" -- a ? in a comment",
        "FROM copy_job_report",
        "/* and ? here */",
      ].join("\n"),
      "/x/q.sql",
    );
    expect(q.name).toBe("two_params");
    expect(q.description).toBe("A test query.");
    expect(q.params).toEqual([
      { name: "a", description: "first" },
      { name: "b", description: "second" },
      { name: "c", description: "third" },
      { name: "d", description: "fourth" },
    ]);
    expect(q.file).toBe("/x/q.sql");
  });

  test("counts placeholders outside literals, quoted identifiers and comments", () => {
    expect(countPlaceholders("SELECT 'it''s ?', ? -- ?\n, \"a?\" /* ? */ , ?")).toBe(2);
  });

  test("metadata lines after the SQL starts are ignored", () => {
    const q = parseNamedQuery("-- name: a\n-- description: d\nSELECT 1 FROM backup_job_report\n-- name: b\n", "a.sql");
    expect(q.name).toBe("a");
  });
});

describe("errors name the file", () => {
  const cases: Array<[string, string, string]> = [
    ["missing name", "-- description: d\nSELECT 1\n", 'bad.sql: missing "-- name:" header'],
    ["missing description", "-- name: a\nSELECT 1\n", 'bad.sql: missing "-- description:" header'],
    ["invalid name", "-- name: 1abc\n-- description: d\nSELECT 1\n", 'bad.sql: line 1: invalid name "1abc"'],
    ["second name", "-- name: a\n-- name: b\n-- description: d\nSELECT 1\n", 'bad.sql: line 2: second "-- name:" header'],
    ["no SQL", "-- name: a\n-- description: d\n", "bad.sql: no SQL after the header"],
    [
      "more placeholders than params",
      "-- name: a\n-- description: d\n-- param: x — one\nSELECT ?, ?\n",
      'bad.sql: 2 "?" placeholder(s) but 1 "-- param:" line(s) (x)',
    ],
    [
      "params without placeholders",
      "-- name: a\n-- description: d\n-- param: x — one\nSELECT 'x?'\n",
      'bad.sql: 0 "?" placeholder(s) but 1 "-- param:" line(s) (x)',
    ],
    [
      "no report table",
      "-- name: a\n-- description: d\nSELECT 'backup_job_report' FROM other -- backup_job_report\n",
      "bad.sql: reads no report table (none of the Glue table names appears)",
    ],
    ["bad param line", "-- name: a\n-- description: d\n-- param: x\nSELECT ?\n", 'bad.sql: line 3: param must read'],
    [
      "duplicate param",
      "-- name: a\n-- description: d\n-- param: x — one\n-- param: x — two\nSELECT ?, ?\n",
      'bad.sql: line 4: duplicate param "x"',
    ],
  ];
  test.each(cases)("%s", (_label, text, message) => {
    put("bad.sql", text);
    expect(() => loadNamedQueries(dir)).toThrow(message);
  });

  test("duplicate names across files", () => {
    put("a.sql", "-- name: same\n-- description: d\nSELECT 1 FROM backup_job_report\n");
    put("b.sql", "-- name: same\n-- description: d\nSELECT 2 FROM backup_job_report\n");
    expect(() => loadNamedQueries(dir)).toThrow('b.sql: duplicate query name "same" (also in a.sql)');
  });

  test("a missing folder, or one without .sql files", () => {
    expect(() => loadNamedQueries(path.join(dir, "nope"))).toThrow(/^queries folder not found: /);
    expect(() => loadNamedQueries(dir)).toThrow(`no .sql files in queries folder ${dir}`);
  });

  test("loads a valid folder sorted by file name, ignoring other files", () => {
    put("b.sql", "-- name: b\n-- description: d\nSELECT 2 FROM copy_job_report\n");
    put("a.sql", "\uFEFF-- name: a\r\n-- description: d\r\nSELECT 1 FROM copy_job_report\r\n");
    put("notes.md", "# not a query\n");
    expect(loadNamedQueries(dir).map((q) => q.name)).toEqual(["a", "b"]);
  });
});
