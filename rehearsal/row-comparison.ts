import type { QueryResult } from "../queries/local-engine";
import type { TrinoResult, TrinoValue } from "./trino-client";

/**
 * Trino's rows against the local engine's, for one query: the same column names in the same order, the same
 * number of rows, and row for row the same values — in the same order when the query orders its result, else as
 * multisets. Values are compared as what they mean, not as how each client spells them: a number equals a number
 * of the same value (doubles to 1e-9 relative, the precision of two engines' floating-point sums), a string the
 * same string, NULL only NULL. Nothing else is forgiven.
 */

type Scalar = string | number | boolean | null;

export interface Comparison {
  readonly equal: boolean;
  /** Why not, naming the first differing rows and values. */
  readonly differences: readonly string[];
}

function scalar(value: TrinoValue | undefined): Scalar {
  if (value === undefined || value === null) return null;
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

function sameValue(a: Scalar, b: Scalar): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

function sortKey(row: readonly Scalar[]): string {
  // Numbers rounded so that a 1e-15 difference does not move a row in the multiset order.
  return JSON.stringify(row.map((v) => (typeof v === "number" ? Number(v.toPrecision(12)) : v)));
}

export function compareRows(local: QueryResult, trino: TrinoResult, ordered: boolean): Comparison {
  const differences: string[] = [];
  const trinoColumns = trino.columns.map((c) => c.name);
  if (JSON.stringify(trinoColumns) !== JSON.stringify(local.columns)) {
    differences.push(`columns differ: Trino ${trinoColumns.join(", ")}; local ${local.columns.join(", ")}`);
    return { equal: false, differences };
  }
  if (trino.rows.length !== local.rows.length) differences.push(`row counts differ: Trino ${trino.rows.length}, local ${local.rows.length}`);
  let left = trino.rows.map((r) => trinoColumns.map((_, i) => scalar(r[i])));
  let right = local.rows.map((r) => local.columns.map((c) => (r[c] ?? null) as Scalar));
  if (!ordered) {
    left = [...left].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    right = [...right].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }
  for (let i = 0; i < Math.max(left.length, right.length) && differences.length < 6; i++) {
    const a = left[i];
    const b = right[i];
    if (!a || !b) {
      differences.push(`row ${i + 1}: Trino ${a ? JSON.stringify(a) : "(none)"}; local ${b ? JSON.stringify(b) : "(none)"}`);
      continue;
    }
    const cols = trinoColumns.filter((_, j) => !sameValue(a[j] ?? null, b[j] ?? null));
    if (cols.length > 0) {
      differences.push(`row ${i + 1}: ${cols.map((c) => { const j = trinoColumns.indexOf(c); return `${c} Trino ${JSON.stringify(a[j])} (${trino.columns[j]?.type}) local ${JSON.stringify(b[j])}`; }).join("; ")}`);
    }
  }
  return { equal: differences.length === 0, differences };
}
