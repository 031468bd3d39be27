/**
 * A query's `?` placeholders filled with string literals, in order, as Athena fills execution parameters
 * (StartQueryExecution's ExecutionParameters are substituted as literals; every placeholder of the named queries
 * is compared with a string or CAST from one). A `?` inside a string literal, a quoted identifier or a comment is
 * not a placeholder.
 */
export function fillParameters(sql: string, params: readonly string[]): string {
  let out = "";
  let used = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    const rest = sql.slice(i);
    if (rest.startsWith("--")) {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (rest.startsWith("/*")) {
      const end = sql.indexOf("*/", i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j++;
          else break;
        }
      }
      out += sql.slice(i, j + 1);
      i = j;
    } else if (c === "?") {
      const value = params[used++];
      if (value === undefined) throw new Error(`the query has more ? placeholders than the ${params.length} parameters given`);
      out += `'${value.replace(/'/g, "''")}'`;
    } else {
      out += c;
    }
  }
  if (used !== params.length) throw new Error(`the query has ${used} ? placeholders for ${params.length} parameters`);
  return out;
}

/** True when the statement's outermost query has an ORDER BY (one inside parentheses orders a subquery or window). */
export function ordersRows(sql: string): boolean {
  let depth = 0;
  let top = "";
  const stripped = sql.replace(/--[^\n]*/g, " ").replace(/'(?:[^']|'')*'/g, "''");
  for (const c of stripped) {
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0) top += c;
  }
  return /\bORDER\s+BY\b/i.test(top);
}
