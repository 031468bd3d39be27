import { promises as fs } from "node:fs";
import path from "node:path";

/**
 * Synth writes into a scratch folder beside the final output and only a fully checked result is promoted, so a
 * refused synth (policy violation, crash) leaves the previous `cdktf.out` byte-identical.
 */
export async function makeScratchDir(finalDir: string): Promise<string> {
  const parent = path.dirname(path.resolve(finalDir));
  await fs.mkdir(parent, { recursive: true });
  return fs.mkdtemp(path.join(parent, ".cdktf-synth-"));
}

/** What synth writes into a stack folder; everything else there (.terraform/, lock file, plans, state) is the user's. */
const GENERATED_STACK_ENTRIES = new Set(["cdk.tf.json", "assets"]);

export interface PromotionReport {
  /** Stack folders no longer synthesized but kept because they hold files synth did not write (state, .terraform). */
  keptOrphans: string[];
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Replaces `target` by `source` (file or folder) with a rename; the old copy is removed after. */
async function replaceEntry(source: string, target: string): Promise<void> {
  const old = `${target}.previous-${process.pid}`;
  const hadOld = await exists(target);
  if (hadOld) await fs.rename(target, old);
  await fs.rename(source, target);
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
}

/**
 * Moves the checked output into `finalDir`. A first synth renames the scratch folder into place. Later synths
 * replace only what synth generates (each stack's cdk.tf.json and assets/, then manifest.json last), so the
 * `.terraform/` folders, provider lock files and any local state that `cdktf deploy` / terraform keep inside
 * cdktf.out survive — as they do with the cdktf CLI. Stacks that are no longer synthesized lose their generated
 * files; their folders go only when nothing else is left in them.
 */
export async function promoteScratchDir(scratchDir: string, finalDir: string): Promise<PromotionReport> {
  const target = path.resolve(finalDir);
  // mkdtemp creates 0700 folders; the output is read by other tools and users.
  await fs.chmod(scratchDir, 0o755);
  if (!(await exists(target))) {
    await fs.rename(scratchDir, target);
    return { keptOrphans: [] };
  }

  const newStacks = path.join(scratchDir, "stacks");
  const oldStacks = path.join(target, "stacks");
  await fs.mkdir(oldStacks, { recursive: true, mode: 0o755 });
  const synthesized = (await exists(newStacks)) ? await fs.readdir(newStacks) : [];
  for (const stack of synthesized) {
    const from = path.join(newStacks, stack);
    const to = path.join(oldStacks, stack);
    await fs.mkdir(to, { recursive: true, mode: 0o755 });
    for (const entry of await fs.readdir(from)) await replaceEntry(path.join(from, entry), path.join(to, entry));
  }

  const keptOrphans: string[] = [];
  for (const stack of await fs.readdir(oldStacks)) {
    if (synthesized.includes(stack)) continue;
    const dir = path.join(oldStacks, stack);
    if (!(await fs.stat(dir)).isDirectory()) continue;
    for (const entry of await fs.readdir(dir)) {
      if (GENERATED_STACK_ENTRIES.has(entry)) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
    }
    if ((await fs.readdir(dir)).length === 0) await fs.rmdir(dir);
    else keptOrphans.push(stack);
  }

  // Top-level files (manifest.json, ...) last: the manifest then names only stacks that are in place.
  const topLevel = (await fs.readdir(scratchDir)).filter((e) => e !== "stacks").sort((a, b) => (a === "manifest.json" ? 1 : b === "manifest.json" ? -1 : a.localeCompare(b)));
  for (const entry of topLevel) await replaceEntry(path.join(scratchDir, entry), path.join(target, entry));
  await fs.rm(scratchDir, { recursive: true, force: true });
  return { keptOrphans };
}

export async function discardScratchDir(scratchDir: string): Promise<void> {
  await fs.rm(scratchDir, { recursive: true, force: true });
}

/** Reads `stacks/<name>/cdk.tf.json` of a synthesized output folder. */
export async function readSynthesizedStacks(outDir: string): Promise<Record<string, unknown>> {
  const stacksDir = path.join(outDir, "stacks");
  const result: Record<string, unknown> = {};
  for (const name of (await fs.readdir(stacksDir)).sort()) {
    const file = path.join(stacksDir, name, "cdk.tf.json");
    result[name] = JSON.parse(await fs.readFile(file, "utf8")) as unknown;
  }
  return result;
}
