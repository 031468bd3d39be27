import path from "node:path";
import type { Command } from "commander";
import { deploymentOrder, readManifestStacks, StackManifestError } from "../../app/stack-order";
import { processIo, type CommandIo } from "../io";

/**
 * `backup-audit stacks [--order] [--reverse] [--dir cdktf.out]`: the synthesized stacks. With --order, one name
 * per line in deployment order (dependencies first), for CI systems that run `terraform` in
 * `cdktf.out/stacks/<name>` themselves; --reverse gives the destroy order. Without --order, each stack with the
 * stacks it depends on. Exit 2 when the manifest is missing or cannot be ordered.
 */

export interface StacksOptions {
  /** The synth output folder holding manifest.json. */
  readonly dir: string;
  readonly order: boolean;
  readonly reverse: boolean;
  /** Print each stack's working directory (relative to the current folder) instead of its name. */
  readonly paths: boolean;
}

export function runStacks(options: StacksOptions, io: CommandIo = processIo): number {
  let stacks;
  try {
    stacks = readManifestStacks(options.dir);
    if (options.order || options.reverse) stacks = deploymentOrder(stacks);
  } catch (err) {
    if (!(err instanceof StackManifestError)) throw err;
    io.stderr(`stacks: ${err.message}\n`);
    return 2;
  }
  if (options.reverse) stacks.reverse();
  const names = new Map(stacks.map((s) => [s.constructPath, s.name]));
  for (const s of stacks) {
    const label = options.paths ? path.join(options.dir, s.workingDirectory) : s.name;
    if (options.order || options.reverse) io.stdout(`${label}\n`);
    else io.stdout(`${label}${s.dependencies.length > 0 ? ` (after ${s.dependencies.map((d) => names.get(d) ?? d).join(", ")})` : ""}\n`);
  }
  return 0;
}

export function register(program: Command): void {
  program
    .command("stacks")
    .description("list the synthesized stacks; --order prints them in deployment order, one per line")
    .option("--dir <folder>", "synth output folder with manifest.json", "cdktf.out")
    .option("--order", "deployment order: every stack after the stacks it depends on", false)
    .option("--reverse", "destroy order (the deployment order reversed)", false)
    .option("--paths", "print each stack's folder (<dir>/stacks/<name>) instead of its name", false)
    .action((opts: { dir: string; order: boolean; reverse: boolean; paths: boolean }) => {
      const code = runStacks(opts);
      if (code !== 0) process.exitCode = code;
    });
}
