/**
 * Trino's client protocol over HTTP, no client library: `POST /v1/statement` with the SQL, then follow `nextUri`
 * until the answer has none, collecting `columns` and `data`; an `error` ends the query with Trino's message.
 */

export type TrinoValue = string | number | boolean | null | TrinoValue[] | { [key: string]: TrinoValue };

export interface TrinoColumn {
  readonly name: string;
  readonly type: string;
}

export interface TrinoResult {
  readonly columns: readonly TrinoColumn[];
  readonly rows: readonly (readonly TrinoValue[])[];
}

interface StatementResponse {
  readonly nextUri?: string;
  readonly columns?: TrinoColumn[];
  readonly data?: TrinoValue[][];
  readonly error?: { readonly message?: string; readonly errorName?: string };
}

export class TrinoQueryError extends Error {}

export interface TrinoSession {
  readonly url: string;
  readonly catalog: string;
  readonly schema: string;
}

export async function runTrino(session: TrinoSession, sql: string): Promise<TrinoResult> {
  const headers = { "X-Trino-User": "e2e", "X-Trino-Catalog": session.catalog, "X-Trino-Schema": session.schema };
  let res = await fetch(`${session.url}/v1/statement`, { method: "POST", headers, body: sql });
  let columns: TrinoColumn[] | undefined;
  const rows: TrinoValue[][] = [];
  for (;;) {
    if (!res.ok) throw new TrinoQueryError(`Trino answered HTTP ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as StatementResponse;
    if (body.error) throw new TrinoQueryError(`${body.error.errorName ?? "error"}: ${body.error.message ?? "(no message)"}`);
    if (body.columns) columns = body.columns;
    if (body.data) rows.push(...body.data);
    if (!body.nextUri) break;
    res = await fetch(body.nextUri, { headers });
  }
  return { columns: columns ?? [], rows };
}
