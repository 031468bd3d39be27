import { loadReportQueries, type ReportQueryName } from "../dashboard/data";
import { columnsReadBy } from "../queries/column-selection";
import { openLocalReports } from "../queries/local-engine";

/**
 * Child of the report bench (`node [options] dist/bench/repeated-queries.js <folder> <cache root> <rounds>`): the
 * report's 8 queries on the folder, from the warm cache, `rounds` times over in one process; prints one JSON line:
 * the engine's start-up, the load, and each round's milliseconds. Run with and without the engine's Node options
 * (queries/duckdb.ts), it shows what V8's tiering budget does to a first round and to repeated ones.
 */
async function main(folder: string, cacheDir: string, rounds: number): Promise<void> {
  const queries = loadReportQueries();
  const reports = await openLocalReports(folder, { cacheDir, columns: columnsReadBy(Object.values(queries)) });
  try {
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const t0 = performance.now();
      for (const name of Object.keys(queries) as ReportQueryName[]) {
        const q = queries[name];
        await reports.run(q, q.params.map((p) => (p.name === "from_day" ? "0000-01-01" : p.name === "to_day" ? "9999-12-31" : "20")));
      }
      times.push(Math.round(performance.now() - t0));
    }
    console.log(JSON.stringify({ engineStartMs: Math.round(reports.timings.engineStartMs), loadMs: Math.round(reports.timings.loadMs), rounds: times }));
  } finally {
    await reports.close();
  }
}

const [folder, cacheDir, rounds] = process.argv.slice(2);
main(folder, cacheDir, Number(rounds)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
