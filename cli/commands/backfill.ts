import { S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { SingleBar, Presets } from "cli-progress";
import type { Command } from "commander";
import { loadLandingZones } from "../../config/loader";
import type { NormalizedLandingZone } from "../../config/types";
import { normalizeObject } from "../../lambdas/partitioner/normalize-object";
import { BackfillPlanner, listingPrefixes, type SkippedKey } from "../../reports/backfill-plan";
import { DEFAULT_NORMALIZED_PREFIX } from "../../reports/normalized-table";
import { normalizedSourceKey } from "../../reports/normalized-source";
import { reportTablesForPlans } from "../../reports/report-tables";

/**
 * `backup-audit backfill`: re-normalises raw report objects that have no normalised twin, or a twin without its
 * recorded source (all of them with `--force`), with the same code as the Lambda (normalize-object). Partitions need nothing: the Glue tables
 * project `delivery_date` (there is no BatchCreatePartition any more). It carries on past a failed object,
 * lists the failures at the end, and the command exits 1 when any failed.
 */

export interface BackfillDeps {
  readonly s3: S3Client;
}

export type BackfillProgress =
  | { readonly phase: "list"; readonly prefix: string; readonly objects: number }
  | { readonly phase: "normalize"; readonly key: string; readonly done: number; readonly total: number };

export interface BackfillOptions {
  /** Re-normalise every report file, also those with a normalised copy. */
  readonly force?: boolean;
  /** List and compare only; write nothing. */
  readonly dryRun?: boolean;
  readonly onProgress?: (progress: BackfillProgress) => void;
  /** Objects normalised at once (each streams; memory stays bounded). Default 4. */
  readonly concurrency?: number;
  /** ListObjectsV2 page size (≤ 1000); smaller in tests to exercise pagination. */
  readonly pageSize?: number;
  /** Folder of the normalised copies; the analytics stack's default. */
  readonly normalizedPrefix?: string;
}

export interface BackfillFailure {
  readonly key: string;
  readonly error: string;
}

export interface BackfillSummary {
  readonly landingZone: string;
  readonly bucket: string;
  readonly normalizedPrefix: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly prefixes: string[];
  readonly objectsSeen: number;
  readonly reportFiles: number;
  /** Report files that already had a normalised copy (left alone without --force). */
  readonly alreadyNormalized: number;
  /** Normalised now (or, with dryRun, that would be). */
  readonly normalized: number;
  readonly rows: number;
  /** Report files the normaliser skipped (empty, header only, …), by reason. */
  readonly skippedFiles: Record<string, number>;
  readonly failures: BackfillFailure[];
  readonly skippedKeys: SkippedKey[];
  readonly skippedByReason: Record<string, number>;
}

async function listKeys(
  s3: S3Client,
  bucket: string,
  prefix: string,
  pageSize: number,
  onPage: (keys: string[]) => void,
): Promise<void> {
  const pages = paginateListObjectsV2({ client: s3, pageSize }, { Bucket: bucket, Prefix: prefix === "" ? undefined : prefix });
  for await (const page of pages) onPage((page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key])));
}

export async function backfill(deps: BackfillDeps, lz: NormalizedLandingZone, opts: BackfillOptions = {}): Promise<BackfillSummary> {
  if (!lz.analytics.enabled) {
    throw new Error(`landing zone ${lz.name}: analytics is disabled, so nothing reads normalised reports`);
  }
  const dryRun = opts.dryRun ?? false;
  const force = opts.force ?? false;
  const pageSize = opts.pageSize ?? 1000;
  const bucket = lz.reports.bucketName;
  const normalizedPrefix = opts.normalizedPrefix ?? DEFAULT_NORMALIZED_PREFIX;
  const tables = reportTablesForPlans(lz.reports.plans);
  const prefixes = listingPrefixes(tables);
  const planner = new BackfillPlanner(tables, normalizedPrefix);

  for (const prefix of prefixes) {
    await listKeys(deps.s3, bucket, prefix, pageSize, (keys) => {
      for (const key of keys) if (!key.startsWith(`${normalizedPrefix}/`)) planner.add(key);
      opts.onProgress?.({ phase: "list", prefix, objects: planner.objectsSeen });
    });
  }
  const listed = new Set<string>();
  if (!force) await listKeys(deps.s3, bucket, `${normalizedPrefix}/`, pageSize, (keys) => keys.forEach((k) => listed.add(k)));
  // A twin counts only with its recorded source beside it: copies written before the partitioner recorded it are
  // rewritten once, with one, so that a synced folder can use them (docs/queries.md).
  const existing = new Set(
    [...listed].filter((k) => k.endsWith(".json.gz") && listed.has(normalizedSourceKey(k, normalizedPrefix))),
  );
  const todo = planner.toNormalize(existing, force);

  const failures: BackfillFailure[] = [];
  const skippedFiles: Record<string, number> = {};
  let normalized = 0;
  let rows = 0;
  let done = 0;
  if (!dryRun) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const file = todo[next++];
        try {
          const { outcome } = await normalizeObject(deps.s3, bucket, file.parsed, normalizedPrefix);
          if (outcome.kind === "normalized") {
            normalized++;
            rows += outcome.rows;
          } else {
            skippedFiles[outcome.reason] = (skippedFiles[outcome.reason] ?? 0) + 1;
          }
        } catch (err) {
          // Carry on: one bad object must not hide the rest; the list comes at the end.
          failures.push({ key: file.parsed.key, error: err instanceof Error ? err.message : String(err) });
        }
        opts.onProgress?.({ phase: "normalize", key: file.parsed.key, done: ++done, total: todo.length });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, todo.length)) }, worker));
  }

  const skippedByReason: Record<string, number> = {};
  for (const s of planner.skipped) skippedByReason[s.reason] = (skippedByReason[s.reason] ?? 0) + 1;
  failures.sort((a, b) => (a.key < b.key ? -1 : 1));
  return {
    landingZone: lz.name,
    bucket,
    normalizedPrefix,
    dryRun,
    force,
    prefixes,
    objectsSeen: planner.objectsSeen,
    reportFiles: planner.reportFiles,
    alreadyNormalized: planner.reportFiles - todo.length,
    normalized: dryRun ? todo.length : normalized,
    rows,
    skippedFiles,
    failures,
    skippedKeys: planner.skipped,
    skippedByReason,
  };
}

/** Human-readable summary; at most `maxListed` skipped keys listed (the counts cover all); every failure listed. */
export function formatSummary(summary: BackfillSummary, maxListed = 20): string {
  const verb = summary.dryRun ? "to normalise (dry run)" : "normalised";
  const lines = [
    `landing zone ${summary.landingZone}: s3://${summary.bucket}/ → s3://${summary.bucket}/${summary.normalizedPrefix}/`,
    `objects seen: ${summary.objectsSeen} (report files: ${summary.reportFiles}, other keys skipped: ${summary.skippedKeys.length})`,
    `report files: ${summary.normalized} ${verb} (${summary.rows} rows), ${summary.alreadyNormalized} already normalised` +
      `${summary.force ? "" : " (use --force to redo them)"}, ${summary.failures.length} failed`,
  ];
  const fileSkips = Object.entries(summary.skippedFiles).sort(([a], [b]) => a.localeCompare(b));
  if (fileSkips.length > 0) lines.push(`report files skipped by the normaliser: ${fileSkips.map(([r, n]) => `${r} ${n}`).join(", ")}`);
  const reasons = Object.entries(summary.skippedByReason).sort(([a], [b]) => a.localeCompare(b));
  if (reasons.length > 0) {
    lines.push(`skipped keys by reason: ${reasons.map(([r, n]) => `${r} ${n}`).join(", ")}`);
    for (const s of summary.skippedKeys.slice(0, maxListed)) lines.push(`  ${s.key}: ${s.reason}: ${s.message}`);
    if (summary.skippedKeys.length > maxListed) lines.push(`  … ${summary.skippedKeys.length - maxListed} more`);
  }
  if (summary.failures.length > 0) {
    lines.push(`failed (${summary.failures.length}):`);
    for (const f of summary.failures) lines.push(`  ${f.key}: ${f.error}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Progress on stderr: a bar on a terminal, a plain line per step otherwise (CI logs, pipes). */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): {
  onProgress: (p: BackfillProgress) => void;
  stop: () => void;
} {
  if (!stream.isTTY) {
    let lastListed = -1;
    let lastDone = -1;
    return {
      onProgress: (p) => {
        if (p.phase === "list") {
          // One line per 10,000 objects keeps CI logs short on large buckets.
          if (lastListed < 0 || p.objects - lastListed >= 10000) {
            stream.write(`backfill: listing ${p.prefix || "(bucket)"}: ${p.objects} objects\n`);
            lastListed = p.objects;
          }
        } else if (p.done === p.total || lastDone < 0 || p.done - lastDone >= 100) {
          stream.write(`backfill: normalised ${p.done}/${p.total} report files\n`);
          lastDone = p.done;
        }
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    { stream, format: "{phase} |{bar}| {value}/{total} {detail}", hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (p) => {
      const total = p.phase === "list" ? Math.max(p.objects, 1) : Math.max(p.total, 1);
      const value = p.phase === "list" ? p.objects : p.done;
      const payload = { phase: p.phase, detail: p.phase === "list" ? p.prefix : p.key };
      if (!started) {
        bar.start(total, value, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(value, payload);
      }
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

interface BackfillCliOptions {
  config: string;
  dryRun?: boolean;
  force?: boolean;
  region?: string;
  endpoint?: string;
  landingZone?: string;
  json?: boolean;
}

/** The command without commander: returns the exit code (0 ok, 1 some object failed). */
export async function runBackfillCommand(
  opts: BackfillCliOptions,
  out: { stdout: (t: string) => void; stderr: NodeJS.WriteStream } = { stdout: (t) => process.stdout.write(t), stderr: process.stderr },
): Promise<number> {
  const zones = (await loadLandingZones([opts.config])).filter(
    (lz) => opts.landingZone === undefined || lz.name === opts.landingZone,
  );
  if (zones.length === 0) throw new Error(`no landing zone named ${opts.landingZone} in ${opts.config}`);
  let failed = 0;
  for (const lz of zones) {
    const s3 = new S3Client({
      region: opts.region ?? lz.reports.region,
      ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint, forcePathStyle: true } : {}),
    });
    const progress = progressReporter(out.stderr);
    try {
      const summary = await backfill({ s3 }, lz, {
        dryRun: opts.dryRun === true,
        force: opts.force === true,
        onProgress: progress.onProgress,
      });
      progress.stop(); // clear the bar before the summary
      out.stdout(opts.json === true ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      failed += summary.failures.length;
    } finally {
      progress.stop();
      s3.destroy();
    }
  }
  return failed > 0 ? 1 : 0;
}

export function register(program: Command): void {
  program
    .command("backfill")
    .description("normalise report files in the reports bucket that have no normalised copy yet (all with --force)")
    .requiredOption("--config <file>", "landing-zone config file (YAML)")
    .option("--dry-run", "list and compare only; write nothing")
    .option("--force", "re-normalise every report file, also those with a normalised copy")
    .option("--region <region>", "AWS Region (default: the config's reports Region)")
    .option("--endpoint <url>", "S3 endpoint (S3-compatible servers; path-style addressing)")
    .option("--landing-zone <name>", "only this landing zone of the config")
    .option("--json", "print the summary as JSON")
    .action(async (opts: BackfillCliOptions) => {
      const code = await runBackfillCommand(opts);
      // exitCode, not exit(): pending stdout writes to a pipe must flush first.
      if (code !== 0) process.exitCode = code;
    });
}
