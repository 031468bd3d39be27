import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";
import { ReportParseError } from "../reports/normalize";
import type { ParsedReportKey } from "../reports/report-key";
import { normalizeFile, type NormalizedFile } from "./normalize-folder";

/**
 * The report files of a bucket copy normalised one after another, each handed over as soon as it is written:
 * in a worker thread when the compiled worker is there (the CLI), so that normalising (CPU) and loading the
 * previous file into DuckDB (CPU) use both cores; in this thread otherwise (the TypeScript sources under test).
 * Either way each file goes through queries/normalize-folder.ts's normalizeFile, the Lambda's normaliser.
 */

export interface WorkerJob {
  readonly root: string;
  readonly outDir: string;
  readonly normalizedPrefix: string;
  readonly files: readonly ParsedReportKey[];
}

export type WorkerMessage =
  | { readonly kind: "file"; readonly file: NormalizedFile }
  | { readonly kind: "parse-error"; readonly message: string }
  | { readonly kind: "error"; readonly message: string };

/** A file that is not valid CSV (the message names the file and line), as thrown by the in-thread path too. */
export class BackgroundParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackgroundParseError";
  }
}

export interface BackgroundNormalization extends AsyncIterable<NormalizedFile> {
  /** True when a worker thread does the work. */
  readonly inWorker: boolean;
  /** Stops the worker (if any); safe to call more than once, and after a failure. */
  close(): Promise<void>;
}

const WORKER_FILE = path.join(__dirname, "normalize-worker.js");

export function normalizeInBackground(job: WorkerJob): BackgroundNormalization {
  return __filename.endsWith(".js") && fs.existsSync(WORKER_FILE) ? inWorker(job) : inThread(job);
}

function inThread(job: WorkerJob): BackgroundNormalization {
  return {
    inWorker: false,
    close: async () => undefined,
    async *[Symbol.asyncIterator]() {
      for (const parsed of job.files) {
        try {
          yield await normalizeFile(job.root, job.outDir, job.normalizedPrefix, parsed);
        } catch (err) {
          throw err instanceof ReportParseError ? new BackgroundParseError(err.message) : err;
        }
      }
    },
  };
}

function inWorker(job: WorkerJob): BackgroundNormalization {
  const worker = new Worker(WORKER_FILE, { workerData: job });
  const arrived: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let exited: Error | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on("message", (message: WorkerMessage) => {
    arrived.push(message);
    notify();
  });
  worker.on("error", (err) => {
    exited = err;
    notify();
  });
  worker.on("exit", (code) => {
    exited ??= new Error(`the normalising worker stopped (exit code ${code}) before it finished`);
    notify();
  });
  let closed = false;
  return {
    inWorker: true,
    close: async () => {
      if (closed) return;
      closed = true;
      await worker.terminate();
    },
    async *[Symbol.asyncIterator]() {
      for (let done = 0; done < job.files.length; ) {
        const message = arrived.shift();
        if (message === undefined) {
          if (exited !== null) throw exited;
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (message.kind === "parse-error") throw new BackgroundParseError(message.message);
        if (message.kind === "error") throw new Error(`normalising failed in the worker thread: ${message.message}`);
        done++;
        yield message.file;
      }
    },
  };
}
