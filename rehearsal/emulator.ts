import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import { spawnLogged } from "./logged-child";
import { freePort } from "./free-port";

/**
 * moto's server (scripts/ensure-moto.sh) as the AWS API emulator, on loopback, over TLS with a certificate signed
 * by a CA made for this run: the emulator enforces bucket policies, `aws:SecureTransport` denies included, so
 * requests must arrive the way AWS receives them. Terraform's provider trusts the CA through `custom_ca_bundle`,
 * the AWS SDK through an HTTPS agent: nothing skips certificate checks.
 *
 * The provider reaches it by a name, `emulator.rehearsal.test`, through a CONNECT proxy on loopback that sends
 * that name and its subdomains (nothing else) to the emulator: the AWS SDK prefixes S3 Control requests with the
 * account id (`123456789012.<endpoint host>`), which no resolver answers for an IP address or `localhost`.
 */
export const EMULATOR_HOST = "emulator.rehearsal.test";

export interface Emulator {
  /** https://127.0.0.1:<port>, for clients in this process. */
  readonly endpoint: string;
  /** https://emulator.rehearsal.test:<port>, for the provider (through `proxyUrl`). */
  readonly providerEndpoint: string;
  /** http://127.0.0.1:<port> of the CONNECT proxy: HTTPS_PROXY of every terraform command. */
  readonly proxyUrl: string;
  /** PEM of the CA that signed the server certificate. */
  readonly caFile: string;
  readonly ca: string;
  /** The server's log (requests and errors). */
  readonly logFile: string;
  /** An HTTPS agent that trusts the CA, for the AWS SDK's request handler. */
  readonly agent: https.Agent;
  stop(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  const run = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${run.stderr}`);
}

/** A CA and a server certificate for 127.0.0.1/localhost, valid for a day. */
export function makeCertificates(dir: string): { caFile: string; certFile: string; keyFile: string } {
  mkdirSync(dir, { recursive: true });
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=backup-audit rehearsal CA",
    "-keyout", "ca.key", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"], dir);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr"], dir);
  const ext = path.join(dir, "server.ext");
  writeFileSync(ext, `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${EMULATOR_HOST},DNS:*.${EMULATOR_HOST}\nextendedKeyUsage=serverAuth\n`);
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1",
    "-extfile", ext, "-out", "server.pem"], dir);
  return { caFile: path.join(dir, "ca.pem"), certFile: path.join(dir, "server.pem"), keyFile: path.join(dir, "server.key") };
}

async function waitUntilUp(endpoint: string, agent: https.Agent, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited ${child.exitCode} at start; its log: ${logFile}`);
    const up = await new Promise<boolean>((resolve) => {
      const req = https.get(`${endpoint}/moto-api/`, { agent, timeout: 2000 }, (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) < 500);
      });
      req.on("error", () => resolve(false));
      req.on("timeout", () => req.destroy());
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 60 s; its log: ${logFile}`);
}

/**
 * A CONNECT proxy that tunnels `EMULATOR_HOST` and its subdomains to the emulator's port on loopback and refuses
 * every other destination (nothing leaves the machine).
 */
function startProxy(emulatorPort: number): Promise<{ server: net.Server; url: string }> {
  const server = net.createServer((client) => {
    client.once("data", (head: Buffer) => {
      const line = head.toString("latin1").split("\r\n")[0] ?? "";
      const match = /^CONNECT ([^\s:]+):(\d+) HTTP\/1\.[01]$/.exec(line);
      const host = match?.[1] ?? "";
      if (!match || Number(match[2]) !== emulatorPort || !(host === EMULATOR_HOST || host.endsWith(`.${EMULATOR_HOST}`))) {
        client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
        return;
      }
      const upstream = net.connect(emulatorPort, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` });
    });
  });
}

/** Starts the emulator on a free loopback port; `stop()` ends it (also on the process's exit). */
export async function startEmulator(motoServer: string, dir: string): Promise<Emulator> {
  const { caFile, certFile, keyFile } = makeCertificates(path.join(dir, "tls"));
  const port = await freePort();
  const endpoint = `https://127.0.0.1:${port}`;
  const logFile = path.join(dir, "moto.log");
  // MOTO_ACCOUNT_ID stays unset: with it, assumed roles report that account and `allowed_account_ids` fails.
  const env = { ...process.env };
  delete env.MOTO_ACCOUNT_ID;
  const server = spawnLogged(motoServer, ["-H", "127.0.0.1", "-p", String(port), "-c", certFile, "-k", keyFile], {
    // Path-style S3 only: the host name is the emulator's, never a bucket's.
    env: { ...env, PYTHONUNBUFFERED: "1", S3_IGNORE_SUBDOMAIN_BUCKETNAME: "true" },
    logFile,
  });
  const ca = readFileSync(caFile, "utf8");
  const agent = new https.Agent({ ca, keepAlive: true });
  try {
    await waitUntilUp(endpoint, agent, server.child, logFile);
  } catch (err) {
    await server.stop();
    throw err;
  }
  const proxy = await startProxy(port);
  proxy.server.unref();
  return {
    endpoint,
    providerEndpoint: `https://${EMULATOR_HOST}:${port}`,
    proxyUrl: proxy.url,
    caFile,
    ca,
    logFile,
    agent,
    stop: async () => {
      agent.destroy();
      proxy.server.close();
      await server.stop();
    },
  };
}
