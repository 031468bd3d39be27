import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { PROJECT_ROOT } from "../app/project-root";
import { applyLandingZones } from "../rehearsal/apply-landing-zones";
import type { DataPathTarget } from "../rehearsal/data-path-target";
import { DataPathFailure, runDataPath } from "../rehearsal/data-path";
import { startEmulator, type Emulator } from "../rehearsal/emulator";
import { loadEmulatorGaps } from "../rehearsal/emulator-gaps";
import { TerraformCommandError } from "../rehearsal/terraform-cli";
import { ensureTerraformTools, ensureTool, ToolInstallError, type TerraformTools } from "../rehearsal/tools";
import { ensureTrino, type TrinoInstall } from "../rehearsal/trino-install";

/**
 * `npm run test:e2e`, the data path end to end, as its own rehearsal run: moto's server (TLS, per-run CA), the
 * embedded example's organization seeded, and the stacks the data path runs through applied by real Terraform —
 * reporting (the reports bucket and its report plans, whose key prefixes the reports are delivered under) and
 * analytics (the partitioner function, the Glue tables, the named queries). The organization, frameworks and trail
 * stacks are left out: nothing of the data path reads them (the trail queries run over their own JSON table, see
 * rehearsal/data-path.ts), and their applies cost minutes of the provider's waits. Then rehearsal/data-path.ts:
 * reports into the bucket, the deployed partitioner, backfill, Trino over the deployed Glue catalog, every query
 * on both engines. The emulator and Trino stop at the end; nothing is destroyed (the emulator's state goes with it).
 *
 * Exit 0: every check held; 1: a check failed (the output says which); 2: a tool or set-up problem.
 */

const EXAMPLE = path.join(PROJECT_ROOT, "config", "example.yaml");
const DATA_PATH_STACKS = ["-reporting", "-analytics"];

function log(line: string): void {
  process.stdout.write(`test:e2e: ${line}\n`);
}

async function main(): Promise<number> {
  const cli = new Command("e2e-data-path")
    .option("--keep", "keep the scratch folder (its path is printed)")
    .option("--hold <file>", "debugging: after the apply, write where the emulator is to <file> and wait (Ctrl-C or SIGTERM stops)")
    .option("--attach <file>", "debugging: use the emulator a --hold run wrote to <file> instead of starting one")
    .parse();
  const opts = cli.opts<{ keep?: boolean; hold?: string; attach?: string }>();
  const started = Date.now();
  let tools: TerraformTools;
  let motoServer: string;
  let trino: TrinoInstall;
  try {
    tools = ensureTerraformTools();
    motoServer = ensureTool("ensure-moto.sh");
    trino = ensureTrino();
  } catch (err) {
    if (err instanceof ToolInstallError) {
      process.stderr.write(`test:e2e: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), "e2e-data-path-"));
  let emulator: Emulator | undefined;
  try {
    let target: DataPathTarget;
    if (opts.attach) {
      target = JSON.parse(readFileSync(opts.attach, "utf8")) as DataPathTarget;
      log(`attached to the emulator on ${target.endpoint}`);
    } else {
      const { gaps } = loadEmulatorGaps();
      emulator = await startEmulator(motoServer, scratch);
      tools = { ...tools, env: { HTTPS_PROXY: emulator.proxyUrl, https_proxy: emulator.proxyUrl, NO_PROXY: "", no_proxy: "" } };
      log(`emulator on ${emulator.endpoint} (TLS, per-run CA); log ${emulator.logFile}`);
      const applied = await applyLandingZones(tools, emulator, gaps, {
        label: "config/example.yaml",
        source: EXAMPLE,
        scratch: path.join(scratch, "rehearsal"),
        onlyStacks: (name) => DATA_PATH_STACKS.some((suffix) => name.endsWith(suffix)),
        log,
      });
      const zone = applied.zones[0];
      const analytics = applied.applied.find((w) => w.name.endsWith("-analytics"));
      if (!zone || !analytics) throw new DataPathFailure("the example applied no analytics stack");
      target = {
        endpoint: emulator.endpoint,
        caFile: emulator.caFile,
        configFile: path.join(applied.configDir, path.basename(EXAMPLE)),
        analyticsDir: analytics.dir,
        pipeline: zone.seeded.pipeline,
        motoServer,
      };
      log(`applied ${applied.applied.map((w) => w.name).join(", ")}: ${applied.resources} resources (${((Date.now() - started) / 1000).toFixed(0)} s into the run)`);
      if (opts.hold) {
        writeFileSync(opts.hold, JSON.stringify(target, null, 2));
        log(`holding: ${opts.hold} names the emulator; Ctrl-C (or SIGTERM) stops it`);
        await new Promise<void>((resolve) => {
          process.once("SIGINT", () => resolve());
          process.once("SIGTERM", () => resolve());
        });
        return 0;
      }
    }
    await runDataPath(target, trino, path.join(scratch, "data-path"), log);
    log(`passed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return 0;
  } catch (err) {
    if (err instanceof DataPathFailure || err instanceof TerraformCommandError) {
      process.stderr.write(`test:e2e: FAILED: ${err.message}\n`);
      if (emulator) process.stderr.write(`test:e2e: the emulator's log: ${emulator.logFile} (kept with --keep)\n`);
      return 1;
    }
    throw err;
  } finally {
    await emulator?.stop();
    if (opts.keep || opts.hold) log(`scratch kept in ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`test:e2e: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
