import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { buildDeploymentPackage, writeDeploymentPackage } from "../lambdas/deployment-package";
import { bundlePartitioner } from "../scripts/bundle-partitioner";
import { FIXTURE_EVENT } from "./partitioner-fixtures";

type BundledHandler = (event: unknown) => Promise<{ outcome: string; reason?: string }>;

let dir: string;
let bundle: Buffer;

beforeAll(async () => {
  bundle = await bundlePartitioner(false);
  dir = mkdtempSync(path.join(tmpdir(), "partitioner-bundle-"));
}, 60000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("partitioner bundle", () => {
  test("is deterministic, self-contained (SDK bundled) and CommonJS", async () => {
    const again = await bundlePartitioner(false);
    expect(again.equals(bundle)).toBe(true);
    const text = bundle.toString("utf8");
    // Only Node built-ins, plus the SDK's optional CRT signer (guarded require, used for SigV4a only).
    const requires = [...new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
    const { builtinModules } = await import("node:module");
    expect(requires.filter((r) => !r.startsWith("node:") && !builtinModules.includes(r)).sort()).toEqual(["@aws-sdk/signature-v4-crt"]);
    expect(text.includes("sourceMappingURL")).toBe(false);
    // S3 client + lib-storage + csv-parse + Powertools logger and metrics.
    expect(bundle.length).toBeLessThan(700 * 1024);
  }, 60000);

  test("the deployment package is a deterministic zip holding exactly index.js", () => {
    const zip = buildDeploymentPackage({ "index.js": bundle });
    expect(Buffer.from(buildDeploymentPackage({ "index.js": bundle })).equals(Buffer.from(zip))).toBe(true);
    const entries = unzipSync(zip);
    expect(Object.keys(entries)).toEqual(["index.js"]);
    expect(Buffer.from(entries["index.js"]).equals(bundle)).toBe(true);
    // Written atomically and byte-identical to the in-memory package.
    const file = path.join(dir, "partitioner.zip");
    writeDeploymentPackage(file, bundle);
    expect(readFileSync(file).equals(Buffer.from(zip))).toBe(true);
  });

  test("the SDK-external variant stays within the 150 KB budget", async () => {
    const external = await bundlePartitioner(true);
    expect(external.toString("utf8").includes('require("@aws-sdk/client-s3")')).toBe(true);
    expect(external.length).toBeLessThan(150 * 1024);
  }, 60000);

  test("the bundled file loads standalone and exports index.handler", async () => {
    // Outside the project, so nothing can be resolved from node_modules: the bundle must carry everything.
    const file = path.join(dir, "index.js");
    writeFileSync(file, bundle);
    const saved = { ...process.env };
    Object.assign(process.env, {
      REPORT_TABLES: JSON.stringify([{ template: "BACKUP_JOB_REPORT", keyPrefix: "BackupJob", tableName: "backup_job_report" }]),
      REPORTS_BUCKET: FIXTURE_EVENT.detail.bucket.name,
      POWERTOOLS_LOG_LEVEL: "ERROR",
      AWS_REGION: "us-east-1",
    });
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(file) as { handler: BundledHandler };
      expect(typeof mod.handler).toBe("function");
      await expect(mod.handler({ source: "aws.backup", "detail-type": "x", detail: {} })).resolves.toMatchObject({
        outcome: "ignored-event",
      });
      const manifest = {
        ...FIXTURE_EVENT,
        detail: { ...FIXTURE_EVENT.detail, object: { ...FIXTURE_EVENT.detail.object, key: "BackupJob/Backup/x/manifest.json" } },
      };
      await expect(mod.handler(manifest)).resolves.toEqual({
        outcome: "ignored-key",
        key: "BackupJob/Backup/x/manifest.json",
        reason: "not-csv",
      });
    } finally {
      process.env = saved;
    }
  });
});
