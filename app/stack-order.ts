import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The deployment order of a synthesized app, from cdktf's own manifest (`cdktf.out/manifest.json`): each stack
 * lists the construct paths of the stacks it depends on (cdktf `addDependency`, also what `cdktf deploy` follows).
 * Pure data: no cdktf import, so other CI systems can order `terraform apply` runs without the cdktf CLI.
 */

export interface ManifestStack {
  readonly name: string;
  readonly constructPath: string;
  readonly workingDirectory: string;
  readonly dependencies: readonly string[];
}

/** A manifest that cannot be read or ordered; the message names the file and the fix. */
export class StackManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackManifestError";
  }
}

/** The stacks of `<outdir>/manifest.json`, in the manifest's order (the order synth built them). */
export function readManifestStacks(outdir: string): ManifestStack[] {
  const file = path.join(outdir, "manifest.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new StackManifestError(`${file} does not exist: synthesize first (npm run synth or cdktf synth), or name the output folder with --dir`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new StackManifestError(`${file} is not JSON (${(err as Error).message}): synthesize again`);
  }
  const stacks = (doc as { stacks?: unknown } | null)?.stacks;
  if (stacks === null || typeof stacks !== "object" || Array.isArray(stacks)) {
    throw new StackManifestError(`${file} has no "stacks" object: is it a cdktf manifest? synthesize again`);
  }
  return Object.entries(stacks as Record<string, Record<string, unknown>>).map(([name, s]) => {
    const deps = s.dependencies;
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== "string")) {
      throw new StackManifestError(`${file}: stacks.${name}.dependencies is not a list of stack paths: synthesize again`);
    }
    return {
      name,
      constructPath: typeof s.constructPath === "string" ? s.constructPath : name,
      workingDirectory: typeof s.workingDirectory === "string" ? s.workingDirectory : path.join("stacks", name),
      dependencies: deps as string[],
    };
  });
}

/**
 * Stacks ordered so that each comes after every stack it depends on; among stacks that are ready at the same
 * time the manifest's order is kept, so the result is stable. Throws on an unknown dependency or a cycle.
 */
export function deploymentOrder(stacks: readonly ManifestStack[]): ManifestStack[] {
  const byPath = new Map<string, ManifestStack>();
  for (const s of stacks) {
    byPath.set(s.constructPath, s);
    byPath.set(s.name, s);
  }
  for (const s of stacks) {
    for (const d of s.dependencies) {
      if (!byPath.has(d)) throw new StackManifestError(`stack ${s.name} depends on ${d}, which the manifest does not list: synthesize again`);
    }
  }
  const done = new Set<string>();
  const order: ManifestStack[] = [];
  while (order.length < stacks.length) {
    const ready = stacks.find((s) => !done.has(s.name) && s.dependencies.every((d) => done.has(byPath.get(d)!.name)));
    if (!ready) {
      const left = stacks.filter((s) => !done.has(s.name)).map((s) => s.name);
      throw new StackManifestError(`stack dependencies form a cycle among ${left.join(", ")}: remove one of the addDependency calls`);
    }
    done.add(ready.name);
    order.push(ready);
  }
  return order;
}
