import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";
import { reportQueriesDir } from "../dashboard/data";
import { loadNamedQueries } from "../queries/catalog";
import { ATHENA_ENGINE_VERSION } from "../stacks/constructs/athena-workspace";

/**
 * Every named query and every report query (queries/report/) parses under Trino's ANTLR grammar (dt-sql-parser's
 * TrinoSQL), the SQL dialect of Athena engine version 3, which the workgroup pins. dt-sql-parser ships ES modules with directory imports that Node
 * cannot load as is, so the test bundles its Trino entry point with esbuild (already the project's bundler).
 */

interface TrinoParser {
  validate(sql: string): Array<{ message: string; startLine: number; startColumn: number }>;
}

let dir: string;
let trino: TrinoParser;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "trino-parser-"));
  const out = buildSync({
    stdin: { contents: 'export { TrinoSQL } from "dt-sql-parser";', resolveDir: path.join(__dirname, "..") },
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    logLevel: "warning",
  });
  const file = path.join(dir, "trino.cjs");
  writeFileSync(file, out.outputFiles[0].contents);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TrinoSQL } = require(file) as { TrinoSQL: new () => TrinoParser };
  trino = new TrinoSQL();
}, 60000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const queries = [...loadNamedQueries(), ...loadNamedQueries(reportQueriesDir())];

test("the workgroup's engine is the one the grammar stands for", () => {
  expect(ATHENA_ENGINE_VERSION).toBe("Athena engine version 3");
});

test.each(queries.map((q) => [q.name, q] as const))("%s parses under the Trino grammar", (_name, q) => {
  expect(trino.validate(q.sql).map((e) => `${e.startLine}:${e.startColumn} ${e.message}`)).toEqual([]);
});

test.each([
  ["curly quotes", "SELECT * FROM backup_job_report WHERE job_status = \u2018FAILED\u2019"],
  ["a DuckDB :: cast", "SELECT backup_size_in_bytes::BIGINT FROM backup_job_report"],
  ["QUALIFY", "SELECT * FROM backup_job_report QUALIFY ROW_NUMBER() OVER (PARTITION BY backup_job_id) = 1"],
])("the grammar rejects %s", (_what, sql) => {
  expect(trino.validate(sql).length).toBeGreaterThan(0);
});
