import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { PROJECT_ROOT } from "../app/project-root";
import {
  type CheckovResult,
  type CheckovSkip,
  formatSummary,
  parseCheckovJson,
  parseSkips,
  scannableTerraformJson,
  staleSkips,
} from "./checkov-report";

/**
 * `npm run check:iac`: checkov (pinned, installed by scripts/ensure-checkov.sh outside the clone) on the
 * synthesized Terraform JSON, `cdktf.out/stacks/<stack>/cdk.tf.json` (`$CDKTF_OUTDIR/stacks`, or the stacks
 * folder given as argument).
 * Exit 0: no failed check; 1: failed checks (or, with --fail-on-stale-skips, a skip that covers nothing); 2:
 * nothing to scan, a skip without a reason, or checkov broken. Stale skips fail only on request because they
 * depend on the config scanned: CI scans the embedded example, which has every resource kind; a landing zone
 * without analytics leaves the Lambda skips covering nothing.
 */
const CONFIG = ".checkov.yaml";

function fail(message: string): never {
  process.stderr.write(`check:iac: ${message}\n`);
  process.exit(2);
}

/** Runs checkov with JSON output and parses the report. */
function runCheckov(checkov: string, args: string[], cwd: string): CheckovResult {
  const run = spawnSync(checkov, [...args, "--output", "json"], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    // Offline: no Prisma Cloud guideline download, no PyPI update check.
    env: { ...process.env, CKV_SKIP_PACKAGE_UPDATE_CHECK: "true", BC_SKIP_MAPPING: "TRUE" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // checkov exits 1 when a check fails; anything else (or no JSON) means it did not scan.
  let result: CheckovResult;
  try {
    result = parseCheckovJson(run.stdout);
  } catch {
    fail(`checkov exited ${run.status} without a JSON report:\n${run.stderr}${run.stdout.slice(0, 2000)}`);
  }
  if (run.status !== 0 && run.status !== 1) fail(`checkov exited ${run.status}:\n${run.stderr}`);
  return result;
}

function main(): void {
  const cli = new Command("check-iac")
    .argument("[stacks]", "folder of <stack>/cdk.tf.json (default: $CDKTF_OUTDIR/stacks or cdktf.out/stacks)")
    .option("--fail-on-stale-skips", "exit 1 when a skipped check fails on no resource")
    .parse();
  const failOnStale = cli.opts<{ failOnStaleSkips?: boolean }>().failOnStaleSkips === true;
  // Where main.ts synthesized (CDKTF_OUTDIR, as there), unless a stacks folder is given.
  const stacksDir = path.resolve(cli.args[0] ?? path.join(process.env.CDKTF_OUTDIR ?? path.join(PROJECT_ROOT, "cdktf.out"), "stacks"));
  const configPath = path.join(PROJECT_ROOT, CONFIG);
  const { skips, errors } = parseSkips(readFileSync(configPath, "utf8"), CONFIG);
  if (errors.length > 0) fail(errors.join("\n"));

  const stacks = existsSync(stacksDir)
    ? readdirSync(stacksDir).filter((s) => existsSync(path.join(stacksDir, s, "cdk.tf.json")))
    : [];
  if (stacks.length === 0) fail(`no synthesized stacks in ${stacksDir}: run \`npm run synth\` first`);

  const ensure = spawnSync("bash", [path.join(PROJECT_ROOT, "scripts", "ensure-checkov.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (ensure.status !== 0) fail("scripts/ensure-checkov.sh failed (see above)");
  const checkov = ensure.stdout.trim();

  // checkov reads a copy: the same stack folders, each cdk.tf.json without its state-only blocks.
  const scanDir = mkdtempSync(path.join(os.tmpdir(), "check-iac-"));
  // On every exit, process.exit included (fail() exits from inside the scan).
  process.on("exit", () => rmSync(scanDir, { recursive: true, force: true }));
  const stripped: string[] = [];
  for (const stack of stacks) {
    const doc = JSON.parse(readFileSync(path.join(stacksDir, stack, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
    const scannable = scannableTerraformJson(doc);
    if (scannable.removed.length > 0) stripped.push(`${stack}: ${scannable.removed.join(", ")}`);
    mkdirSync(path.join(scanDir, stack));
    writeFileSync(path.join(scanDir, stack, "cdk.tf.json"), JSON.stringify(scannable.doc, null, 2));
  }
  scan(checkov, configPath, scanDir, stacks.length, skips, stripped, failOnStale);
}

function scan(
  checkov: string,
  configPath: string,
  stacksDir: string,
  stackCount: number,
  skips: CheckovSkip[],
  stripped: string[],
  failOnStale: boolean,
): void {
  const result = runCheckov(checkov, ["--config-file", configPath, "--directory", stacksDir], PROJECT_ROOT);
  // The skipped checks alone, without the config (run from the stacks folder, so checkov finds no
  // .checkov.yaml either): which resources each skip covers, and which skips no longer cover anything.
  const skipped =
    skips.length === 0
      ? []
      : runCheckov(
          checkov,
          ["--directory", ".", "--framework", "terraform_json", "--skip-download", "--quiet", "--check", skips.map((s) => s.id).join(",")],
          stacksDir,
        ).failed;
  if (stripped.length > 0) {
    process.stdout.write(`left out of the scan, the rest of each file is scanned (state-only blocks checkov 3.3.30 cannot parse): ${stripped.join("; ")}\n`);
  }
  process.stdout.write(formatSummary(result, skips, skipped, stackCount, CONFIG));
  if (result.parsingErrors > 0) process.exitCode = 2;
  else process.exitCode = result.failed.length > 0 || (failOnStale && staleSkips(skips, skipped).length > 0) ? 1 : 0;
}

main();
