import { Readable, Writable } from "node:stream";
import { normalizeReport } from "../reports/normalize";
import { parseReportKey } from "../reports/report-key";
import { defaultReportTables } from "../reports/report-tables";
import { templateSpec } from "../reports/templates";

/**
 * The normaliser's throughput and memory figures, each run in a fresh process by bench/partitioner.ts
 * (`node dist/bench/normalizer-runs.js throughput|memory`): only the normaliser is loaded, as in the Lambda, so
 * neither the heap of the other benchmarks nor their modules weigh on its garbage collection.
 */

/**
 * A generated BACKUP_JOB_REPORT CSV of about `mb` MB (CRLF, every field quoted, some with commas and line breaks),
 * in pieces of ~60 KB, the size of the chunks a file or S3 stream delivers.
 */
function generatedReport(mb: number): Readable {
  const header = templateSpec("BACKUP_JOB_REPORT").columns.map((c) => `"${c.header}"`).join(",") + "\r\n";
  const target = mb * 1024 * 1024;
  return Readable.from(
    (function* rows(): Generator<Buffer> {
      yield Buffer.from(header);
      let produced = header.length;
      for (let i = 0; produced < target; ) {
        let chunk = "";
        for (let n = 0; n < 64; n++, i++) {
          const account = `4444555566${String(i % 100).padStart(2, "0")}`;
          const message = i % 7 === 0 ? `"Backup job failed, retrying:\r\nthe ""vault"" was locked."` : '""';
          chunk +=
            `"2026-03-14T00:00:00Z","2026-03-15T00:00:00Z","r-ab12/ou-ab12-prod1111/${account}","${account}","us-east-1",` +
            `"3B1E6A0C-2F0D-4C55-9E7A-${String(i).padStart(12, "0")}","COMPLETED",${message},"EC2",` +
            `"arn:aws:ec2:us-east-1:${account}:instance/i-0a1b2c3d4e5f${i}","web-${i}",` +
            `"arn:aws:backup:us-east-1:${account}:backup-plan:orgs/4232272a","ab88bbf8-ff4e","2026-03-14T05:01:12Z",` +
            `"org-daily","DailyBackups","cron(0 5 ? * * *)","UTC","2026-03-14T06:00:00Z","{}","false","",` +
            `"2026-03-14T05:01:12.101Z","2026-03-14T05:31:45.201Z","2026-03-14T13:01:12.101Z",` +
            `"arn:aws:ec2:us-east-1::image/ami-0f1e2d3c${i}","00:18:42","32212254720","org-central-vault",` +
            `"arn:aws:backup:us-east-1:${account}:backup-vault:org-central-vault","BACKUP_VAULT","LOCKED","true",` +
            `"arn:aws:kms:us-east-1:${account}:key/1a2b","35","","false",` +
            `"arn:aws:iam::${account}:role/service-role/AWSBackupDefaultServiceRole"\r\n`;
        }
        produced += chunk.length;
        yield Buffer.from(chunk);
      }
    })(),
  );
}

const BENCH_KEY =
  "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_plan/backup_job_report_org_plan_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv";

/** Normalises a report (a stream of its bytes) into a byte-counting sink. */
async function normalizeInto(source: Readable): Promise<{ bytesIn: number; ms: number; rows: number; bytesOut: number }> {
  const parsed = parseReportKey(BENCH_KEY, defaultReportTables());
  if (!parsed.ok) throw new Error(parsed.message);
  let bytesOut = 0;
  const start = performance.now();
  const outcome = await normalizeReport(source, parsed, () => ({
    stream: new Writable({
      write(chunk: Buffer, _enc, done) {
        bytesOut += chunk.length;
        done();
      },
    }),
    commit: async () => undefined,
    abort: async () => undefined,
  }));
  const ms = performance.now() - start;
  if (outcome.kind !== "normalized") throw new Error(`bench report was skipped: ${outcome.reason}`);
  return { bytesIn: outcome.bytesIn, ms, rows: outcome.rows, bytesOut };
}

/** Normalises a generated report, generated while it streams (the memory figure: nothing is held whole). */
async function normalizeGenerated(mb: number): Promise<{ bytesIn: number; ms: number; rows: number; bytesOut: number }> {
  return normalizeInto(generatedReport(mb));
}

/** The generated report's bytes in 64 KiB pieces, as a file or S3 stream delivers them. */
async function generatedPieces(mb: number): Promise<Buffer[]> {
  const pieces: Buffer[] = [];
  for await (const chunk of generatedReport(mb)) pieces.push(chunk as Buffer);
  const whole = Buffer.concat(pieces);
  const out: Buffer[] = [];
  for (let i = 0; i < whole.length; i += 65536) out.push(whole.subarray(i, i + 65536));
  return out;
}

async function throughput(): Promise<string> {
  // Generated up front, so that the CPU time measured is the normaliser's (parse, JSON, gzip), not the generator's.
  const pieces = await generatedPieces(50);
  const cpuMbPerSecond = async (): Promise<{ rate: number; run: Awaited<ReturnType<typeof normalizeInto>> }> => {
    const cpu0 = process.cpuUsage();
    const run = await normalizeInto(Readable.from(pieces));
    const cpu = process.cpuUsage(cpu0);
    // Per core: MB over CPU seconds (zlib's threads and the parser's one JS thread all count; idle waits do not).
    return { rate: run.bytesIn / 1048576 / ((cpu.user + cpu.system) / 1e6), run };
  };
  // The first run is what a fresh Lambda sees on its first report (the JIT still warming up).
  const first = await cpuMbPerSecond();
  for (let r = 0; r < 3; r++) await cpuMbPerSecond();
  const runs: number[] = [];
  let last = first.run;
  for (let r = 0; r < 9; r++) {
    const measured = await cpuMbPerSecond();
    runs.push(measured.rate);
    last = measured.run;
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return (
    `normaliser: ${(last.bytesIn / 1048576).toFixed(0)} MB CSV (${last.rows} rows) → ${(last.bytesOut / 1048576).toFixed(1)} MB ` +
      `gzip JSON Lines in ${(last.ms / 1000).toFixed(2)} s wall; median ${sorted[4].toFixed(1)} MB/s per core-second of CPU ` +
      `(9 runs after 4 warm-ups, ${sorted[0].toFixed(1)}–${sorted[8].toFixed(1)}; target ≥ 50 MB/s); ` +
      `first run in the process ${first.rate.toFixed(1)} MB/s`
  );
}

/** Peak RSS while normalising a 200 MB report as it is generated, against this process before it started. */
async function memory(): Promise<string> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const run = await normalizeGenerated(200);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const mb = (n: number) => (n / 1048576).toFixed(1);
  return (
    `normaliser memory: ${mb(run.bytesIn)} MB report in ${(run.ms / 1000).toFixed(1)} s, baseline RSS ${mb(base)} MB ` +
    `(modules loaded), peak ${mb(peak)} MB → ${mb(peak - base)} MB above baseline (target ≤ 64 MB)`
  );
}

const figure = process.argv[2];
if (figure !== "throughput" && figure !== "memory") {
  console.error("usage: node dist/bench/normalizer-runs.js throughput|memory");
  process.exit(2);
}
(figure === "throughput" ? throughput() : memory()).then(
  (line) => console.log(line),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
