import {
  BatchCreatePartitionCommand,
  BatchGetPartitionCommand,
  GetTableCommand,
  type GlueClient,
  type PartitionInput,
  type StorageDescriptor,
} from "@aws-sdk/client-glue";
import { partitionId } from "../../reports/report-key";

/**
 * Glue partition registration shared by the partitioner Lambda and `backup-audit backfill`.
 *
 * Failure policy: `AlreadyExistsException` (per entry or thrown) is success, because every part file and every
 * on-demand report run of a day lands in the same partition. Throttling and transient service errors are retried
 * here with capped exponential backoff (the Glue client is built with `maxAttempts: 1` so that this is the only
 * retry layer and the behaviour is testable). Anything else is thrown: the Lambda then fails, so Lambda's async
 * retries and the on-failure destination keep the event.
 */

/** Glue's limit for BatchCreatePartition / BatchGetPartition entries per call. */
export const GLUE_BATCH_LIMIT = 100;

export interface RetryPolicy {
  /** Total attempts, including the first. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** 5 attempts, 100 ms → 1.6 s: at most ~3 s of waiting, well inside a Lambda timeout of a few seconds+. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1600 };

export interface RetryHooks {
  /** Injected in tests so that backoff takes no wall time. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onRetry?: (info: { operation: string; attempt: number; delayMs: number; error: string }) => void;
}

const RETRYABLE_CODES = new Set([
  "ThrottlingException",
  "OperationTimeoutException",
  "InternalServiceException",
  "ConcurrentModificationException",
  "ResourceNotReadyException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ServiceUnavailable",
  "TimeoutError",
]);

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function errorName(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const e = err as { name?: unknown; code?: unknown };
    if (typeof e.name === "string") return e.name;
    if (typeof e.code === "string") return e.code;
  }
  return "Error";
}

/** Throttling, timeouts and 5xx; never access/validation errors, which a retry cannot fix. */
export function isRetryableGlueError(err: unknown): boolean {
  if (RETRYABLE_CODES.has(errorName(err))) return true;
  if (typeof err === "object" && err !== null) {
    const e = err as { $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
    if (e.$retryable !== undefined && e.$retryable !== null) return true;
    const status = e.$metadata?.httpStatusCode;
    if (status === 429 || (status !== undefined && status >= 500)) return true;
  }
  return false;
}

function backoffMs(policy: RetryPolicy, attempt: number): number {
  // Deterministic exponential backoff; concurrency is low (one event per report file), jitter buys little here.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

export async function withRetry<T>(
  operation: string,
  fn: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  hooks: RetryHooks = {},
): Promise<T> {
  const sleep = hooks.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= policy.maxAttempts || !isRetryableGlueError(err)) throw err;
      const delayMs = backoffMs(policy, attempt);
      hooks.onRetry?.({ operation, attempt, delayMs, error: errorName(err) });
      await sleep(delayMs);
    }
  }
}

function chunks<T>(items: ReadonlyArray<T>, size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The table's StorageDescriptor, fetched once per table and process: partitions copy the table's SerDe, formats
 * and columns, and a warm Lambda container must not pay a GetTable per report file. Entries expire after
 * `ttlMs` (default 10 min) so that a column change deployed to the table reaches new partitions without waiting
 * for the container to be recycled. A failed lookup is evicted so the next invocation tries again.
 */
export class TableDescriptorCache {
  private readonly cache = new Map<string, { loadedAt: number; descriptor: Promise<StorageDescriptor> }>();

  constructor(
    private readonly glue: GlueClient,
    private readonly database: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly hooks: RetryHooks = {},
    private readonly ttlMs: number = 10 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get(tableName: string): Promise<StorageDescriptor> {
    const cached = this.cache.get(tableName);
    if (cached !== undefined && this.now() - cached.loadedAt < this.ttlMs) return cached.descriptor;
    const entry = { loadedAt: this.now(), descriptor: this.load(tableName) };
    this.cache.set(tableName, entry);
    entry.descriptor.catch(() => {
      if (this.cache.get(tableName) === entry) this.cache.delete(tableName);
    });
    return entry.descriptor;
  }

  private async load(tableName: string): Promise<StorageDescriptor> {
    const out = await withRetry(
      "GetTable",
      () => this.glue.send(new GetTableCommand({ DatabaseName: this.database, Name: tableName })),
      this.retry,
      this.hooks,
    );
    const sd = out.Table?.StorageDescriptor;
    if (sd === undefined) throw new Error(`Glue table ${this.database}.${tableName} has no StorageDescriptor`);
    return sd;
  }
}

export interface PartitionToCreate {
  readonly values: ReadonlyArray<string>;
  /** `s3://bucket/.../<report plan>/` */
  readonly location: string;
}

export interface CreatePartitionsResult {
  readonly created: string[][];
  readonly alreadyExisted: string[][];
  /** BatchCreatePartition calls made (retries included). */
  readonly calls: number;
}

export class PartitionWriteError extends Error {
  constructor(
    message: string,
    readonly failures: ReadonlyArray<{ values: string[]; code: string; message: string }>,
  ) {
    super(message);
    this.name = "PartitionWriteError";
  }
}

export interface CreatePartitionsParams {
  readonly database: string;
  readonly tableName: string;
  readonly storageDescriptor: StorageDescriptor;
  readonly partitions: ReadonlyArray<PartitionToCreate>;
  readonly retry?: RetryPolicy;
  readonly hooks?: RetryHooks;
}

/**
 * Creates partitions in batches of ≤ 100. Per-entry `AlreadyExistsException` counts as existing, per-entry
 * throttling/timeouts are re-sent (same backoff), any other per-entry error throws a PartitionWriteError as soon
 * as its batch returns, so the caller (Lambda) fails and the event is retried; re-creating is idempotent.
 */
export async function createPartitions(glue: GlueClient, params: CreatePartitionsParams): Promise<CreatePartitionsResult> {
  const policy = params.retry ?? DEFAULT_RETRY_POLICY;
  const hooks = params.hooks ?? {};
  const sleep = hooks.sleep ?? defaultSleep;
  const created: string[][] = [];
  const alreadyExisted: string[][] = [];
  let calls = 0;

  for (const batch of chunks(params.partitions, GLUE_BATCH_LIMIT)) {
    let pending = batch.map((p) => ({ values: [...p.values], location: p.location }));
    for (let round = 1; pending.length > 0; round++) {
      const inputs: PartitionInput[] = pending.map((p) => ({
        Values: p.values,
        StorageDescriptor: { ...params.storageDescriptor, Location: p.location },
      }));
      let errors;
      try {
        const out = await withRetry(
          "BatchCreatePartition",
          () => {
            calls++;
            return glue.send(
              new BatchCreatePartitionCommand({
                DatabaseName: params.database,
                TableName: params.tableName,
                PartitionInputList: inputs,
              }),
            );
          },
          policy,
          hooks,
        );
        errors = out.Errors ?? [];
      } catch (err) {
        // A thrown AlreadyExists (single-entry batches in some SDK paths) means the whole batch exists.
        if (errorName(err) === "AlreadyExistsException") {
          alreadyExisted.push(...pending.map((p) => p.values));
          break;
        }
        throw err;
      }

      const failedIds = new Map<string, { code: string; message: string }>();
      for (const e of errors) {
        failedIds.set(partitionId(e.PartitionValues ?? []), {
          code: e.ErrorDetail?.ErrorCode ?? "UnknownError",
          message: e.ErrorDetail?.ErrorMessage ?? "",
        });
      }
      const retryAgain: typeof pending = [];
      const fatal: { values: string[]; code: string; message: string }[] = [];
      for (const p of pending) {
        const failure = failedIds.get(partitionId(p.values));
        if (failure === undefined) created.push(p.values);
        else if (failure.code === "AlreadyExistsException") alreadyExisted.push(p.values);
        else if (RETRYABLE_CODES.has(failure.code)) retryAgain.push(p);
        else fatal.push({ values: p.values, ...failure });
      }
      if (fatal.length > 0) {
        throw new PartitionWriteError(
          `BatchCreatePartition failed for ${fatal.length} partition(s) of ${params.database}.${params.tableName}: ` +
            fatal.map((f) => `${f.values.join("/")}: ${f.code} ${f.message}`.trim()).join("; "),
          fatal,
        );
      }
      if (retryAgain.length > 0) {
        if (round >= policy.maxAttempts) {
          const failures = retryAgain.map((p) => ({ values: p.values, ...failedIds.get(partitionId(p.values))! }));
          throw new PartitionWriteError(
            `BatchCreatePartition still throttled after ${round} attempts for ${retryAgain.length} partition(s) ` +
              `of ${params.database}.${params.tableName}`,
            failures,
          );
        }
        const delayMs = backoffMs(policy, round);
        hooks.onRetry?.({
          operation: "BatchCreatePartition(entries)",
          attempt: round,
          delayMs,
          error: failedIds.get(partitionId(retryAgain[0].values))!.code,
        });
        await sleep(delayMs);
      }
      pending = retryAgain;
    }
  }
  return { created, alreadyExisted, calls };
}

export interface ExistingPartitionsParams {
  readonly database: string;
  readonly tableName: string;
  readonly values: ReadonlyArray<ReadonlyArray<string>>;
  readonly retry?: RetryPolicy;
  readonly hooks?: RetryHooks;
}

/** Which of the given partitions exist (ids from `partitionId`), asking BatchGetPartition ≤ 100 at a time. */
export async function existingPartitions(
  glue: GlueClient,
  params: ExistingPartitionsParams,
): Promise<{ existing: Set<string>; calls: number }> {
  const policy = params.retry ?? DEFAULT_RETRY_POLICY;
  const hooks = params.hooks ?? {};
  const sleep = hooks.sleep ?? defaultSleep;
  const existing = new Set<string>();
  let calls = 0;
  for (const batch of chunks(params.values, GLUE_BATCH_LIMIT)) {
    let toGet = batch.map((v) => ({ Values: [...v] }));
    for (let round = 1; toGet.length > 0; round++) {
      const request = toGet;
      const out = await withRetry(
        "BatchGetPartition",
        () => {
          calls++;
          return glue.send(
            new BatchGetPartitionCommand({
              DatabaseName: params.database,
              TableName: params.tableName,
              PartitionsToGet: request,
            }),
          );
        },
        policy,
        hooks,
      );
      for (const p of out.Partitions ?? []) existing.add(partitionId(p.Values ?? []));
      // Glue returns UnprocessedKeys instead of failing when it throttles part of a batch.
      toGet = (out.UnprocessedKeys ?? []).map((k) => ({ Values: k.Values ?? [] }));
      if (toGet.length > 0) {
        if (round >= policy.maxAttempts) {
          throw new Error(
            `BatchGetPartition left ${toGet.length} key(s) of ${params.database}.${params.tableName} unprocessed ` +
              `after ${round} attempts`,
          );
        }
        await sleep(backoffMs(policy, round));
      }
    }
  }
  return { existing, calls };
}
