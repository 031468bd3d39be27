import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { ReportParseError } from "../reports/normalize";
import { LocalRowsError } from "./arrow-rows";
import { resolveForLoading, type ResolveJob, type ResolvedFile } from "./resolve-report-file";

/**
 * The report files of a bucket copy resolved (queries/resolve-report-file.ts: the cache, the bucket's normalised
 * copy, or the Lambda's normaliser now), each handed over as an Arrow stream as soon as it is ready, in the files'
 * order, reduced to the job's selected columns: by worker threads when the compiled worker is there (the CLI) — one per core, at most four, file i going to
 * worker i mod n —, so that hashing, normalising and parsing (CPU) run on every core beside the engine's start-up
 * and appends; in this thread otherwise (the TypeScript sources under test). Either way each file goes through
 * resolveForLoading, and the files come out in the same order, so the tables hold their rows in the same order.
 */

export interface WorkerJob extends ResolveJob {
  /** This worker resolves files `first`, `first + stride`, … (worker threads only). */
  readonly first?: number;
  readonly stride?: number;
}

export type WorkerMessage =
  | { readonly kind: "file"; readonly file: ResolvedFile }
  | { readonly kind: "input-error"; readonly message: string }
  | { readonly kind: "error"; readonly message: string };

/**
 * Unreadable input, as thrown by the in-thread path too: a file that is not valid CSV, or a normalised object that is
 * not gzip JSON Lines (the message names the file and line).
 */
export class BackgroundParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackgroundParseError";
  }
}

export interface BackgroundNormalization extends AsyncIterable<ResolvedFile> {
  /** True when a worker thread does the work. */
  readonly inWorker: boolean;
  /** Stops the worker (if any); safe to call more than once, and after a failure. */
  close(): Promise<void>;
}

const WORKER_FILE = path.join(__dirname, "normalize-worker.js");

/** Input errors (the user's files) apart from failures of the code or the disk. */
export function isInputError(err: unknown): err is ReportParseError | LocalRowsError {
  return err instanceof ReportParseError || err instanceof LocalRowsError;
}

/** Worker threads for `files` files: one per core, at most four, never more than files. */
export function workerCount(files: number): number {
  return Math.max(1, Math.min(4, os.availableParallelism(), files));
}

export function normalizeInBackground(job: ResolveJob): BackgroundNormalization {
  return __filename.endsWith(".js") && fs.existsSync(WORKER_FILE) ? inWorkers(job) : inThread(job);
}

function inThread(job: ResolveJob): BackgroundNormalization {
  return {
    inWorker: false,
    close: async () => undefined,
    async *[Symbol.asyncIterator]() {
      for (const parsed of job.files) {
        try {
          yield await resolveForLoading(job, parsed);
        } catch (err) {
          throw isInputError(err) ? new BackgroundParseError(err.message) : err;
        }
      }
    },
  };
}

/** One worker's messages, in the order it posts them (its files' order). */
class WorkerQueue {
  private readonly arrived: WorkerMessage[] = [];
  private wake: (() => void) | null = null;
  private exited: Error | null = null;

  constructor(readonly worker: Worker) {
    worker.on("message", (message: WorkerMessage) => {
      this.arrived.push(message);
      this.notify();
    });
    worker.on("error", (err) => {
      this.exited = err;
      this.notify();
    });
    worker.on("exit", (code) => {
      this.exited ??= new Error(`a normalising worker stopped (exit code ${code}) before it finished`);
      this.notify();
    });
  }

  async next(): Promise<WorkerMessage> {
    for (;;) {
      const message = this.arrived.shift();
      if (message !== undefined) return message;
      if (this.exited !== null) throw this.exited;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

function inWorkers(job: ResolveJob): BackgroundNormalization {
  const stride = workerCount(job.files.length);
  const queues = Array.from({ length: stride }, (_, first) => new WorkerQueue(new Worker(WORKER_FILE, { workerData: { ...job, first, stride } })));
  let closed = false;
  return {
    inWorker: true,
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all(queues.map((q) => q.worker.terminate()));
    },
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < job.files.length; i++) {
        const message = await queues[i % stride].next();
        if (message.kind === "input-error") throw new BackgroundParseError(message.message);
        if (message.kind === "error") throw new Error(`normalising failed in a worker thread: ${message.message}`);
        yield message.file;
      }
    },
  };
}
