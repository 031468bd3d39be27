import * as path from "path";
import type { DuckDBBindings, DuckDBBundles, Logger, DuckDBRuntime } from "@duckdb/duckdb-wasm/blocking";

/**
 * The one in-process DuckDB (WebAssembly) instance. Start-up costs ~1-1.5 s, so it is created on first use and
 * shared by every caller in the process; callers open their own connections. The node *blocking* bundle runs
 * in the calling thread (no worker), so nothing keeps the process alive after the last query.
 */

interface BlockingBundle {
  createDuckDB(bundles: DuckDBBundles, logger: Logger, runtime: DuckDBRuntime): Promise<DuckDBBindings>;
  VoidLogger: new () => Logger;
  NODE_RUNTIME: DuckDBRuntime;
}

let instance: Promise<DuckDBBindings> | undefined;
let startMs: number | undefined;

/** The shared instance, started on first call. */
export function sharedDuckDB(): Promise<DuckDBBindings> {
  if (instance === undefined) {
    instance = start().catch((err: unknown) => {
      // A failed start must not poison later attempts.
      instance = undefined;
      throw err;
    });
  }
  return instance;
}

/** Milliseconds the first start took, or undefined before it finished. */
export function duckDBStartMs(): number | undefined {
  return startMs;
}

/**
 * Node options for a process that runs the engine. V8 optimises a WebAssembly function once it has run for the
 * tiering budget (about bytes executed; V8's default 1.8 M): at the default, a run of a few queries spends about a
 * second of CPU optimising DuckDB's functions on other threads, which on two cores slows the run more than the
 * optimised code speeds it up. Ten times the budget still optimises what stays hot (the same queries repeated in one
 * process run as fast as at the default). V8 reads it only from the command line (`v8.setFlagsFromString` after
 * start-up has no effect on it), so the CLI starts itself again with these (bin/backup-audit.js).
 */
export const ENGINE_NODE_OPTIONS: readonly string[] = ["--wasm-tiering-budget=20000000"];

async function start(): Promise<DuckDBBindings> {
  const t0 = performance.now();
  // Required here, not imported at the top: every CLI command loads this module, only `query` needs the engine.
  const bundlePath = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  const dist = path.dirname(bundlePath);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const duckdb = require(bundlePath) as BlockingBundle;
  const db = await duckdb.createDuckDB(
    {
      mvp: { mainModule: path.join(dist, "duckdb-mvp.wasm"), mainWorker: path.join(dist, "duckdb-node-mvp.worker.cjs") },
      eh: { mainModule: path.join(dist, "duckdb-eh.wasm"), mainWorker: path.join(dist, "duckdb-node-eh.worker.cjs") },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate(() => undefined);
  startMs = performance.now() - t0;
  return db;
}
