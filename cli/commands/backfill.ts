import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { SingleBar, Presets } from "cli-progress";
import type { Command } from "commander";
import { loadLandingZones } from "../../config/loader";
import type { NormalizedLandingZone } from "../../config/types";
import {
  DEFAULT_RETRY_POLICY,
  TableDescriptorCache,
  createPartitions,
  existingPartitions,
  type RetryHooks,
  type RetryPolicy,
} from "../../lambdas/partitioner/glue-partitions";
import { BackfillPlanner, listingPrefixes, type SkippedKey } from "../../reports/backfill-plan";
import { partitionId } from "../../reports/report-key";
import { reportTablesForPlans } from "../../reports/report-tables";

/**
 * `backup-audit backfill`: registers the Glue partitions of reports delivered before the partitioner Lambda
 * existed (or while it was failing). Lists the template prefixes, plans the distinct partitions with the same
 * parser as the Lambda, asks Glue which exist and creates the rest — idempotent, so it can be re-run any time.
 */

export interface BackfillDeps {
  readonly s3: S3Client;
  readonly glue: GlueClient;
}

export type BackfillProgress =
  | { readonly phase: "list"; readonly prefix: string; readonly objects: number }
  | { readonly phase: "check" | "create"; readonly tableName: string; readonly done: number; readonly total: number };

export interface BackfillOptions {
  readonly dryRun?: boolean;
  readonly onProgress?: (progress: BackfillProgress) => void;
  readonly retry?: RetryPolicy;
  readonly hooks?: RetryHooks;
  /** ListObjectsV2 page size (≤ 1000); smaller in tests to exercise pagination. */
  readonly pageSize?: number;
}

export interface BackfillTableSummary {
  readonly tableName: string;
  readonly template: string;
  readonly partitionsFound: number;
  readonly alreadyPresent: number;
  /** Created (or, with dryRun, that would be created). */
  readonly created: number;
}

export interface BackfillSummary {
  readonly landingZone: string;
  readonly bucket: string;
  readonly database: string;
  readonly dryRun: boolean;
  readonly prefixes: string[];
  readonly objectsSeen: number;
  readonly reportFiles: number;
  readonly partitionsFound: number;
  readonly partitionsCreated: number;
  readonly partitionsAlreadyPresent: number;
  readonly skippedKeys: SkippedKey[];
  readonly skippedByReason: Record<string, number>;
  readonly tables: BackfillTableSummary[];
}

export async function backfill(
  deps: BackfillDeps,
  lz: NormalizedLandingZone,
  opts: BackfillOptions = {},
): Promise<BackfillSummary> {
  if (!lz.analytics.enabled) {
    throw new Error(`landing zone ${lz.name}: analytics is disabled, so there are no Glue tables to backfill`);
  }
  const dryRun = opts.dryRun ?? false;
  const retry = opts.retry ?? DEFAULT_RETRY_POLICY;
  const hooks = opts.hooks ?? {};
  const bucket = lz.reports.bucketName;
  const database = lz.analytics.databaseName;
  const tables = reportTablesForPlans(lz.reports.plans);
  const prefixes = listingPrefixes(tables);
  const planner = new BackfillPlanner(tables, bucket);

  for (const prefix of prefixes) {
    const pages = paginateListObjectsV2(
      { client: deps.s3, pageSize: opts.pageSize ?? 1000 },
      { Bucket: bucket, Prefix: prefix === "" ? undefined : prefix },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) planner.add(object.Key);
      }
      opts.onProgress?.({ phase: "list", prefix, objects: planner.objectsSeen });
    }
  }

  const descriptors = new TableDescriptorCache(deps.glue, database, retry, hooks);
  const tableSummaries: BackfillTableSummary[] = [];
  for (const { tableName, template, partitions } of planner.partitionsByTable()) {
    const values = partitions.map((p) => p.values);
    const { existing } = await existingPartitions(deps.glue, { database, tableName, values, retry, hooks }).catch(
      (err: unknown) => {
        // EntityNotFound here nearly always means the analytics stack is not deployed (or another database).
        const name = err instanceof Error ? err.name : "Error";
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(`Glue table ${database}.${tableName}: ${name}: ${message}`, { cause: err });
      },
    );
    opts.onProgress?.({ phase: "check", tableName, done: partitions.length, total: partitions.length });
    const missing = partitions.filter((p) => !existing.has(partitionId(p.values)));
    let created = missing.length;
    let alreadyPresent = partitions.length - missing.length;
    if (!dryRun && missing.length > 0) {
      const storageDescriptor = await descriptors.get(tableName);
      const result = await createPartitions(deps.glue, {
        database,
        tableName,
        storageDescriptor,
        partitions: missing,
        retry,
        hooks,
      });
      // Created meanwhile (the Lambda racing us) counts as present.
      created = result.created.length;
      alreadyPresent += result.alreadyExisted.length;
      opts.onProgress?.({ phase: "create", tableName, done: missing.length, total: missing.length });
    }
    tableSummaries.push({ tableName, template, partitionsFound: partitions.length, alreadyPresent, created });
  }

  const skippedByReason: Record<string, number> = {};
  for (const s of planner.skipped) skippedByReason[s.reason] = (skippedByReason[s.reason] ?? 0) + 1;
  return {
    landingZone: lz.name,
    bucket,
    database,
    dryRun,
    prefixes,
    objectsSeen: planner.objectsSeen,
    reportFiles: planner.reportFiles,
    partitionsFound: planner.partitionCount,
    partitionsCreated: tableSummaries.reduce((n, t) => n + t.created, 0),
    partitionsAlreadyPresent: tableSummaries.reduce((n, t) => n + t.alreadyPresent, 0),
    skippedKeys: planner.skipped,
    skippedByReason,
    tables: tableSummaries,
  };
}

/** Human-readable summary; at most `maxSkipped` skipped keys listed (the counts cover all). */
export function formatSummary(summary: BackfillSummary, maxSkipped = 20): string {
  const verb = summary.dryRun ? "to create (dry run)" : "created";
  const lines = [
    `landing zone ${summary.landingZone}: s3://${summary.bucket}/ → Glue database ${summary.database}`,
    `objects seen: ${summary.objectsSeen} (report files: ${summary.reportFiles}, skipped: ${summary.skippedKeys.length})`,
    `partitions: ${summary.partitionsFound} found, ${summary.partitionsCreated} ${verb}, ` +
      `${summary.partitionsAlreadyPresent} already present`,
  ];
  for (const t of summary.tables) {
    lines.push(`  ${t.tableName}: ${t.partitionsFound} found, ${t.created} ${verb}, ${t.alreadyPresent} already present`);
  }
  const reasons = Object.entries(summary.skippedByReason).sort(([a], [b]) => a.localeCompare(b));
  if (reasons.length > 0) {
    lines.push(`skipped keys by reason: ${reasons.map(([r, n]) => `${r} ${n}`).join(", ")}`);
    for (const s of summary.skippedKeys.slice(0, maxSkipped)) lines.push(`  ${s.key}: ${s.reason}: ${s.message}`);
    if (summary.skippedKeys.length > maxSkipped) lines.push(`  … ${summary.skippedKeys.length - maxSkipped} more`);
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
    return {
      onProgress: (p) => {
        if (p.phase === "list") {
          // One line per 10,000 objects keeps CI logs short on large buckets.
          if (lastListed < 0 || p.objects - lastListed >= 10000) {
            stream.write(`backfill: listing ${p.prefix || "(bucket)"}: ${p.objects} objects\n`);
            lastListed = p.objects;
          }
        } else {
          stream.write(`backfill: ${p.phase} ${p.tableName}: ${p.done}/${p.total} partitions\n`);
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
      const payload = { phase: p.phase, detail: p.phase === "list" ? p.prefix : p.tableName };
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
  region?: string;
  endpoint?: string;
  glueEndpoint?: string;
  landingZone?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("backfill")
    .description("register Glue partitions for report files already in the reports bucket")
    .requiredOption("--config <file>", "landing-zone config file (YAML)")
    .option("--dry-run", "list and compare only; create nothing")
    .option("--region <region>", "AWS Region (default: the config's reports Region)")
    .option("--endpoint <url>", "S3 endpoint (S3-compatible servers; path-style addressing)")
    .option("--glue-endpoint <url>", "Glue endpoint (e.g. a local emulator)")
    .option("--landing-zone <name>", "only this landing zone of the config")
    .option("--json", "print the summary as JSON")
    .action(async (opts: BackfillCliOptions) => {
      const zones = (await loadLandingZones([opts.config])).filter(
        (lz) => opts.landingZone === undefined || lz.name === opts.landingZone,
      );
      if (zones.length === 0) throw new Error(`no landing zone named ${opts.landingZone} in ${opts.config}`);
      for (const lz of zones) {
        const region = opts.region ?? lz.reports.region;
        const s3 = new S3Client({
          region,
          ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint, forcePathStyle: true } : {}),
        });
        // Retries are explicit in glue-partitions (same policy as the Lambda).
        const glue = new GlueClient({
          region,
          maxAttempts: 1,
          ...(opts.glueEndpoint !== undefined ? { endpoint: opts.glueEndpoint } : {}),
        });
        const progress = progressReporter();
        try {
          const summary = await backfill({ s3, glue }, lz, {
            dryRun: opts.dryRun === true,
            onProgress: progress.onProgress,
            hooks: {
              onRetry: (i) => process.stderr.write(`backfill: ${i.operation} ${i.error}, retry in ${i.delayMs} ms\n`),
            },
          });
          progress.stop(); // clear the bar before the summary
          process.stdout.write(opts.json === true ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
        } finally {
          progress.stop();
          s3.destroy();
          glue.destroy();
        }
      }
    });
}
