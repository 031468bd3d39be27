import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Credentials } from "./organization-seed";
import type { TrinoInstall } from "./trino-install";
import { freePort } from "./free-port";
import { spawnLogged } from "./logged-child";

/**
 * Trino (Athena engine v3's engine) on loopback for the data-path test, with one Hive catalog, `hive`, that reads
 * the deployed Glue catalog and the buckets on the emulator: `hive.metastore=glue` with the emulator as endpoint,
 * the native S3 file system path-style on the emulator, the Glue tables' partition projection honoured, and
 * absent projected partitions read as empty (Athena's behaviour; Trino fails on them otherwise). The JVM trusts
 * only the emulator's per-run CA, through a truststore made for the run.
 */

export interface TrinoCatalogTarget {
  readonly endpoint: string;
  readonly caFile: string;
  readonly region: string;
  /** An IAM user's access key: the emulator maps it to the account the user was created in. */
  readonly credentials: Credentials;
}

export interface TrinoServer {
  readonly url: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

// Athena engine v3 answers from a fleet; here one JVM beside other work on a 2-core machine.
const HEAP = "-Xmx3G";
const STORE_PASSWORD = "e2e-truststore";

function properties(values: Record<string, string>): string {
  return `${Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n")}\n`;
}

export function hiveCatalogProperties(target: TrinoCatalogTarget): Record<string, string> {
  return {
    "connector.name": "hive",
    "hive.metastore": "glue",
    "hive.metastore.glue.region": target.region,
    "hive.metastore.glue.endpoint-url": target.endpoint,
    "hive.metastore.glue.aws-access-key": target.credentials.accessKeyId,
    "hive.metastore.glue.aws-secret-key": target.credentials.secretAccessKey,
    "fs.native-s3.enabled": "true",
    "s3.endpoint": target.endpoint,
    "s3.region": target.region,
    "s3.path-style-access": "true",
    "s3.aws-access-key": target.credentials.accessKeyId,
    "s3.aws-secret-key": target.credentials.secretAccessKey,
    // The emulator is one Python process: few connections, and retries when it drops one under load.
    "s3.max-connections": "16",
    "s3.retry-mode": "STANDARD",
    "s3.max-error-retries": "10",
    // Glue column statistics are planning hints; the emulator has no GetColumnStatisticsForPartition.
    "hive.table-statistics-enabled": "false",
    "hive.partition-projection-enabled": "true",
    "hive.ignore-absent-partitions": "true",
    // The trail check creates its JSON table over files it wrote (rehearsal/trail-on-trino.ts).
    "hive.non-managed-table-writes-enabled": "true",
  };
}

async function waitUntilReady(url: string, exited: () => number | null, logFile: string): Promise<void> {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    const code = exited();
    if (code !== null) throw new Error(`Trino exited ${code} at start; its log: ${logFile}`);
    try {
      const res = await fetch(`${url}/v1/info`);
      if (res.ok && ((await res.json()) as { starting?: boolean }).starting === false) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Trino did not become ready on ${url} within 240 s; its log: ${logFile}`);
}

export async function startTrino(install: TrinoInstall, target: TrinoCatalogTarget, dir: string): Promise<TrinoServer> {
  const etc = path.join(dir, "etc");
  mkdirSync(path.join(etc, "catalog"), { recursive: true });
  const truststore = path.join(dir, "truststore.jks");
  const keytool = spawnSync(
    path.join(install.javaHome, "bin", "keytool"),
    ["-importcert", "-noprompt", "-alias", "emulator-ca", "-file", target.caFile, "-keystore", truststore, "-storetype", "PKCS12", "-storepass", STORE_PASSWORD],
    { encoding: "utf8" },
  );
  if (keytool.status !== 0) throw new Error(`keytool could not make the truststore from ${target.caFile}: ${keytool.stderr}${keytool.stdout}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(path.join(etc, "node.properties"), properties({
    "node.environment": "e2e",
    "node.id": "e2e-data-path",
    "node.data-dir": path.join(dir, "data"),
    "node.bind-ip": "127.0.0.1",
    "node.internal-address": "127.0.0.1",
  }));
  writeFileSync(path.join(etc, "jvm.config"), [
    "-server",
    HEAP,
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.attach.allowAttachSelf=true",
    `-Djavax.net.ssl.trustStore=${truststore}`,
    `-Djavax.net.ssl.trustStorePassword=${STORE_PASSWORD}`,
    "-Djavax.net.ssl.trustStoreType=PKCS12",
    "",
  ].join("\n"));
  writeFileSync(path.join(etc, "config.properties"), properties({
    coordinator: "true",
    "node-scheduler.include-coordinator": "true",
    "http-server.http.port": String(port),
    "discovery.uri": url,
    "query.max-memory": "1GB",
    "query.max-memory-per-node": "1GB",
  }));
  writeFileSync(path.join(etc, "log.properties"), "io.trino=INFO\n");
  writeFileSync(path.join(etc, "catalog", "hive.properties"), properties(hiveCatalogProperties(target)));

  const logFile = path.join(dir, "trino.log");
  const server = spawnLogged(path.join(install.home, "bin", "launcher"), ["run", `--etc-dir=${etc}`, `--data-dir=${path.join(dir, "data")}`], {
    env: { ...process.env, JAVA_HOME: install.javaHome, PATH: `${path.join(install.javaHome, "bin")}:${process.env.PATH ?? ""}` },
    logFile,
  });
  try {
    await waitUntilReady(url, () => server.child.exitCode, logFile);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    url,
    logFile,
    stop: () => server.stop(),
  };
}
