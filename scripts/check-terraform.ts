import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { shippedConfigs, synthShippedConfig, SynthError } from "../rehearsal/shipped-configs";
import { describeDiagnostic, parseValidateJson, runTerraform, TerraformCommandError } from "../rehearsal/terraform-cli";
import { ensureTerraformTools, ToolInstallError, type TerraformTools } from "../rehearsal/tools";

/**
 * `npm run check:terraform`: every shipped config synthesized into a scratch folder, then `terraform init
 * -backend=false` and `terraform validate` on every stack with the pinned Terraform and the real AWS v6 provider
 * (scripts/ensure-terraform.sh, scripts/ensure-terraform-provider-aws.sh). Terraform is the judge of what it
 * accepts: any error or warning fails the check, printed with the config, stack, resource and message.
 * Exit 0: all valid; 1: a diagnostic; 2: a synth or a tool that failed.
 */

interface StackResult {
  readonly config: string;
  readonly stack: string;
  readonly problems: string[];
  readonly seconds: number;
}

async function validateStack(tools: TerraformTools, config: string, stacksDir: string, stack: string): Promise<StackResult> {
  const dir = path.join(stacksDir, stack);
  const started = Date.now();
  const problems: string[] = [];
  await runTerraform(tools, dir, ["init", "-backend=false", "-input=false", "-no-color"]);
  const run = await runTerraform(tools, dir, ["validate", "-json", "-no-color"], { okCodes: [0, 1] });
  const { valid, diagnostics } = parseValidateJson(run.stdout);
  for (const d of diagnostics) problems.push(describeDiagnostic(d));
  if (!valid && problems.length === 0) problems.push(`terraform validate says invalid without a diagnostic:\n${run.stderr}`);
  return { config, stack, problems, seconds: (Date.now() - started) / 1000 };
}

/** Runs `work` over `items`, `limit` at a time, in order of completion. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      results.push(await work(item));
    }
  });
  await Promise.all(lanes);
  return results;
}

async function main(): Promise<number> {
  const cli = new Command("check-terraform")
    .option("--keep", "keep the scratch folder (its path is printed)")
    .option("--jobs <n>", "stacks validated side by side", "2")
    .parse();
  const opts = cli.opts<{ keep?: boolean; jobs: string }>();
  const started = Date.now();
  let tools: TerraformTools;
  try {
    tools = ensureTerraformTools();
  } catch (err) {
    if (err instanceof ToolInstallError) {
      process.stderr.write(`check:terraform: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), "check-terraform-"));
  try {
    const targets: { config: string; stacksDir: string; stack: string }[] = [];
    for (const [i, config] of shippedConfigs().entries()) {
      const stacksDir = synthShippedConfig(config, path.join(scratch, String(i)));
      for (const stack of readdirSync(stacksDir).sort()) targets.push({ config: config.label, stacksDir, stack });
      process.stdout.write(`check:terraform: synthesized ${config.label}\n`);
    }
    const results = await inParallel(targets, Math.max(1, Number(opts.jobs) || 1), async (t) => {
      const r = await validateStack(tools, t.config, t.stacksDir, t.stack);
      process.stdout.write(`${r.problems.length === 0 ? "valid  " : "INVALID"} ${r.config}: ${r.stack} (${r.seconds.toFixed(1)} s)\n`);
      for (const p of r.problems) process.stdout.write(`    ${p}\n`);
      return r;
    });
    const failed = results.filter((r) => r.problems.length > 0);
    const configs = new Set(results.map((r) => r.config)).size;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (failed.length > 0) {
      process.stderr.write(
        `check:terraform: ${failed.length} of ${results.length} stack(s) refused by terraform validate (${configs} configs, ${seconds} s):\n` +
          failed.map((r) => `  ${r.config}: ${r.stack}\n${r.problems.map((p) => `    ${p}\n`).join("")}`).join(""),
      );
      return 1;
    }
    process.stdout.write(`check:terraform: ${results.length} stacks of ${configs} configs valid (terraform validate, real AWS provider; ${seconds} s)\n`);
    return 0;
  } catch (err) {
    if (err instanceof SynthError || err instanceof TerraformCommandError) {
      process.stderr.write(`check:terraform: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    if (opts.keep) process.stdout.write(`check:terraform: scratch kept in ${scratch}\n`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`check:terraform: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
