import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";

/**
 * A real S3-protocol server (s3rver) for the tests, in a child process: its ListObjectsV2 continuation tokens
 * use DES, which Node's OpenSSL 3 only offers with --openssl-legacy-provider (a process-start flag). The
 * server itself is unmodified.
 */
const S3RVER_CHILD = `
const S3rver = require(${JSON.stringify(require.resolve("s3rver"))});
const [dir, bucket] = process.argv.slice(1);
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
server.run().then((a) => process.stdout.write(JSON.stringify({ port: a.port }) + "\\n"));
process.on("SIGTERM", () => server.close().then(() => process.exit(0), () => process.exit(1)));
// Never outlive the test worker, even if it dies before afterAll.
setInterval(() => { try { process.kill(process.ppid, 0); } catch { process.exit(0); } }, 1000).unref();
`;

export interface S3Server {
  readonly endpoint: string;
  readonly s3: S3Client;
  stop(): Promise<void>;
}

export async function startS3rver(bucket: string): Promise<S3Server> {
  const dir = mkdtempSync(path.join(tmpdir(), "s3rver-"));
  const child: ChildProcess = spawn(process.execPath, ["--openssl-legacy-provider", "-e", S3RVER_CHILD, dir, bucket], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`s3rver exited early with ${code}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve((JSON.parse(out.split("\n")[0]) as { port: number }).port);
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = new S3Client({
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return {
    endpoint,
    s3,
    stop: async () => {
      s3.destroy();
      child.removeAllListeners("exit");
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
