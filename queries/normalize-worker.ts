import { parentPort, workerData } from "worker_threads";
import { ReportParseError } from "../reports/normalize";
import type { ParsedReportKey } from "../reports/report-key";
import { normalizeFile } from "./normalize-folder";
import type { WorkerJob, WorkerMessage } from "./normalize-in-background";

/**
 * Worker thread of queries/normalize-in-background.ts: normalises the files in order and posts each result as
 * soon as it is written, so that the main thread loads one file while the next is being normalised.
 */
async function run(job: WorkerJob): Promise<void> {
  const post = (message: WorkerMessage) => parentPort!.postMessage(message);
  for (const parsed of job.files as ParsedReportKey[]) {
    try {
      post({ kind: "file", file: await normalizeFile(job.root, job.outDir, job.normalizedPrefix, parsed) });
    } catch (err) {
      post(
        err instanceof ReportParseError
          ? { kind: "parse-error", message: err.message }
          : { kind: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) },
      );
      return;
    }
  }
}

void run(workerData as WorkerJob);
