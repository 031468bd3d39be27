import { parentPort, workerData } from "worker_threads";
import { isInputError, type WorkerJob, type WorkerMessage } from "./normalize-in-background";
import { resolveForLoading } from "./resolve-report-file";

/**
 * A worker thread of queries/normalize-in-background.ts: resolves its files (`first`, `first + stride`, …) in
 * order and posts each one's Arrow stream as soon as it is ready (moved, not copied), so that the main thread
 * appends one file while the next ones are being hashed, read or normalised.
 */
async function run(job: WorkerJob): Promise<void> {
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(message, transfer);
  for (let i = job.first ?? 0; i < job.files.length; i += job.stride ?? 1) {
    const parsed = job.files[i];
    try {
      const file = await resolveForLoading(job, parsed);
      // A buffer read from a small file may share Node's pooled ArrayBuffer: only a stream's own buffer moves.
      const ipc = file.ipc === null || ownsBuffer(file.ipc) ? file.ipc : new Uint8Array(file.ipc);
      post({ kind: "file", file: { ...file, ipc } }, ipc === null ? [] : [ipc.buffer as ArrayBuffer]);
    } catch (err) {
      post(
        isInputError(err)
          ? { kind: "input-error", message: err.message }
          : { kind: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) },
      );
      return;
    }
  }
}

function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

void run(workerData as WorkerJob);
