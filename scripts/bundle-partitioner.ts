import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { PROJECT_ROOT } from "../app/project-root";
import { writeDeploymentPackage } from "../lambdas/deployment-package";
import path from "node:path";
import { build, type BuildOptions } from "esbuild";

/**
 * Bundles the partitioner Lambda: lambdas/partitioner/index.ts → lambdas/partitioner/dist/index.js (the analytics
 * stack zips that folder, handler `index.handler`).
 *
 * AWS SDK decision: `@aws-sdk/client-s3` and `@aws-sdk/lib-storage` ARE bundled (pinned to the tested versions). The
 * runtime ships an SDK v3 whose version AWS changes without notice; bundling makes the deployed code exactly the
 * tested code, and a minified single file loads faster at cold start than resolving the runtime's many SDK files.
 * `--compare` also prints the size with `@aws-sdk/*` external (not written); `npm run bench` prints both too.
 *
 * Determinism: no banner, no timestamps, no source map; esbuild's output depends only on its inputs, and the
 * file is rewritten only when its bytes change so that Terraform's archive hash stays stable across builds.
 */

export const ENTRY = path.join(PROJECT_ROOT, "lambdas", "partitioner", "index.ts");
export const OUTFILE = path.join(PROJECT_ROOT, "lambdas", "partitioner", "dist", "index.js");
/** The deployment package the analytics stack uploads (index.js only). */
export const PACKAGE_FILE = path.join(PROJECT_ROOT, "lambdas", "partitioner", "dist", "partitioner.zip");

export function bundleOptions(externalSdk: boolean): BuildOptions {
  return {
    entryPoints: [ENTRY],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    // Prefer ESM builds of dependencies (smaller after tree-shaking) but keep CJS output.
    mainFields: ["module", "main"],
    external: externalSdk ? ["@aws-sdk/*", "@smithy/*"] : [],
    write: false,
    logLevel: "warning",
  };
}

/** Builds in memory; returns the bundle's bytes. */
export async function bundlePartitioner(externalSdk: boolean): Promise<Buffer> {
  const result = await build(bundleOptions(externalSdk));
  const out = result.outputFiles?.[0];
  if (out === undefined) throw new Error("esbuild produced no output");
  return Buffer.from(out.contents);
}

export function formatKiB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function main(): Promise<void> {
  const bundled = await bundlePartitioner(false);
  mkdirSync(path.dirname(OUTFILE), { recursive: true });
  const unchanged = existsSync(OUTFILE) && readFileSync(OUTFILE).equals(bundled);
  if (!unchanged) writeFileSync(OUTFILE, bundled);
  const zip = writeDeploymentPackage(PACKAGE_FILE, bundled);
  const sha = createHash("sha256").update(bundled).digest("hex").slice(0, 12);
  // Progress on stderr: `npm pack --json` runs this in prepack, and its stdout must be only the JSON.
  console.error(
    `partitioner bundle ${path.relative(PROJECT_ROOT, OUTFILE)}: ${bundled.length} bytes (${formatKiB(bundled.length)}), ` +
      `AWS SDK bundled, sha256 ${sha}${unchanged ? ", unchanged" : ""}; package ${path.basename(PACKAGE_FILE)} ${zip.length} bytes`,
  );
  if (process.argv.includes("--compare")) {
    // Measured only, never written: the deployed package bundles the SDK.
    const external = await bundlePartitioner(true);
    console.error(`  for comparison, with @aws-sdk/* external: ${external.length} bytes (${formatKiB(external.length)})`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
