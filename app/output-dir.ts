import { promises as fs } from "node:fs";
import path from "node:path";

/**
 * Synth writes into a scratch folder beside the final output and only a fully checked result replaces it, so a
 * refused synth (policy violation, crash) leaves the previous `cdktf.out` byte-identical.
 */
export async function makeScratchDir(finalDir: string): Promise<string> {
  const parent = path.dirname(path.resolve(finalDir));
  await fs.mkdir(parent, { recursive: true });
  return fs.mkdtemp(path.join(parent, ".cdktf-synth-"));
}

/** Replaces `finalDir` by `scratchDir` with two renames (same file system), then removes the old copy. */
export async function promoteScratchDir(scratchDir: string, finalDir: string): Promise<void> {
  const target = path.resolve(finalDir);
  const previous = `${scratchDir}.previous`;
  let hadPrevious = false;
  try {
    await fs.rename(target, previous);
    hadPrevious = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  try {
    await fs.rename(scratchDir, target);
  } catch (err) {
    // Put the previous output back so nothing is lost.
    if (hadPrevious) await fs.rename(previous, target);
    throw err;
  }
  if (hadPrevious) await fs.rm(previous, { recursive: true, force: true });
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
