import { tableColumns } from "../reports/normalized-table";
import { supportedTemplateSpecs } from "../reports/templates";
import { stripCommentsAndLiterals, type NamedQuery } from "./catalog";

/**
 * The columns the local engine loads for a set of named queries: per report table they read, the table's columns
 * (in table order) whose names appear in their SQL. The engine's time goes into appending rows column by column
 * (all strings), and the report's queries name about a third of the columns, so the rest are not loaded.
 *
 * Over-approximating is harmless (a column named only in an alias or another table's context is loaded for
 * nothing); missing a column that a query reads is not, so every form that reads columns without naming them
 * loads the table whole:
 * - `t.*` where `t` is the table or an alias of it (a star on a CTE reads the CTE's named columns);
 * - a bare `*` (`SELECT *`, `SELECT DISTINCT *`, `, *`): every table the query reads;
 * - `NATURAL` joins (their condition is every column two sides share) and DuckDB's `COLUMNS(…)`.
 * (A table alias used on its own is DuckDB's whole row as a struct; Athena has no such form, and a named query is
 * Athena's, so that is not looked for.)
 * A query the selection was not made for is refused by the engine (`uncoveredColumns`), never run on fewer columns.
 */

/** Per report table read, the names of the columns to load, in table order. Tables absent are not read. */
export type ColumnSelection = Readonly<Record<string, readonly string[]>>;

/** The columns `queries` read (see above). */
export function columnsReadBy(queries: readonly NamedQuery[]): ColumnSelection {
  const selection: Record<string, readonly string[]> = {};
  for (const spec of supportedTemplateSpecs()) {
    const readers = queries.filter((q) => q.tables.includes(spec.tableName));
    if (readers.length === 0) continue;
    const columns = tableColumns(spec.template).map((c) => c.name);
    const wanted = new Set<string>();
    for (const q of readers) {
      const code = stripCommentsAndLiterals(q.sql, { keepQuotedIdentifiers: true }).toLowerCase();
      if (readsWholeRows(code, spec.tableName)) columns.forEach((c) => wanted.add(c));
      else for (const c of columns) if (new RegExp(`\\b${c}\\b`).test(code)) wanted.add(c);
    }
    selection[spec.tableName] = columns.filter((c) => wanted.has(c));
  }
  return selection;
}

/** Every table's every column (no query-based selection): what a caller gets without one. */
export function allColumns(): ColumnSelection {
  const selection: Record<string, readonly string[]> = {};
  for (const spec of supportedTemplateSpecs()) {
    selection[spec.tableName] = tableColumns(spec.template).map((c) => c.name);
  }
  return selection;
}

/** The columns `query` reads that `selection` lacks, as `table.column` (empty: the selection covers it). */
export function uncoveredColumns(selection: ColumnSelection, query: NamedQuery): string[] {
  const needed = columnsReadBy([query]);
  const missing: string[] = [];
  for (const [table, columns] of Object.entries(needed)) {
    const loaded = new Set(selection[table] ?? []);
    for (const c of columns) if (!loaded.has(c)) missing.push(`${table}.${c}`);
  }
  return missing;
}

/** Words after a table name that start the next clause rather than name an alias. */
const NOT_AN_ALIAS = new Set([
  "where", "cross", "join", "inner", "left", "right", "full", "outer", "on", "using", "group", "order", "having",
  "limit", "union", "except", "intersect", "window", "qualify", "natural", "positional", "asof", "lateral", "tablesample",
]);

/** True when `code` (lower case, no comments or literals) reads `table`'s columns without naming each one. */
function readsWholeRows(code: string, table: string): boolean {
  if (/\bnatural\b/.test(code) || /\bcolumns\s*\(/.test(code)) return true;
  const withoutCounts = code.replace(/\bcount\s*\(\s*\*\s*\)/g, " ");
  if (/\bselect\s+(?:distinct\s+|all\s+)?\*|,\s*\*/.test(withoutCounts)) return true;
  const names = new Set([table]);
  for (const m of code.matchAll(new RegExp(`\\b${table}\\s+(?:as\\s+)?([a-z_][a-z0-9_]*)`, "g"))) {
    if (!NOT_AN_ALIAS.has(m[1])) names.add(m[1]);
  }
  for (const m of withoutCounts.matchAll(/([a-z_][a-z0-9_]*)\s*\.\s*\*/g)) if (names.has(m[1])) return true;
  return false;
}
