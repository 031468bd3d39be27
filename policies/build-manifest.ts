import { readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../app/project-root";
import { OPA_VERSION } from "./opa-cli";
import { POLICY_MANIFEST, POLICY_SETS, readRegoSources, sha256, sourceDigests, type PolicySet, type PolicySetName } from "./policy-sets";

/**
 * The manifest committed beside the built policy modules: which OPA built them and from which Rego sources
 * (sha256 of each), so that a module can never silently disagree with the Rego a reviewer reads.
 */

export interface PolicySetBuild {
  entrypoint: string;
  module: string;
  moduleSha256: string;
  /** sha256 of every policy module (tests excluded), by path relative to the project root. */
  sources: Record<string, string>;
}

export interface PolicyManifest {
  opaVersion: string;
  sets: Record<PolicySetName, PolicySetBuild>;
}

/** The rebuild command that stale-module messages name. */
export const REBUILD_COMMAND = "npm run build:policies";

/** Thrown when the Rego sources no longer match the committed module built from them. */
export class StalePolicyError extends Error {
  constructor(
    readonly set: PolicySetName,
    readonly changes: { changed: string[]; added: string[]; removed: string[] },
  ) {
    const parts = [
      changes.changed.length > 0 ? `changed: ${changes.changed.join(", ")}` : "",
      changes.added.length > 0 ? `added: ${changes.added.join(", ")}` : "",
      changes.removed.length > 0 ? `removed: ${changes.removed.join(", ")}` : "",
    ].filter(Boolean);
    super(
      `policy set "${set}" is stale: ${POLICY_SETS[set].module} was built from other Rego sources (${parts.join("; ")}). ` +
        `Rebuild it with \`${REBUILD_COMMAND}\` (needs OPA v${OPA_VERSION}: scripts/ensure-opa.sh installs it) and commit policies/build/.`,
    );
    this.name = "StalePolicyError";
  }
}

export function readManifest(root: string = PROJECT_ROOT): PolicyManifest {
  const file = path.join(root, POLICY_MANIFEST);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`${POLICY_MANIFEST} is missing: build the policy modules with \`${REBUILD_COMMAND}\``);
  }
  return JSON.parse(text) as PolicyManifest;
}

/** Compares the recorded source digests with the files on disk: which differ, which are new, which are gone. */
export function diffSources(recorded: Record<string, string>, current: Record<string, string>): StalePolicyError["changes"] {
  const changed = Object.keys(current).filter((f) => f in recorded && recorded[f] !== current[f]);
  const added = Object.keys(current).filter((f) => !(f in recorded));
  const removed = Object.keys(recorded).filter((f) => !(f in current));
  return { changed, added, removed };
}

/**
 * The committed module of a set, after checking that its manifest entry matches the Rego sources on disk and
 * the module bytes. Throws StalePolicyError when the sources moved on.
 */
export function readBuiltModule(set: PolicySet, root: string = PROJECT_ROOT, manifest: PolicyManifest = readManifest(root)): Uint8Array {
  const entry = manifest.sets[set.name];
  if (!entry) throw new Error(`${POLICY_MANIFEST} has no "${set.name}" policy set: rebuild with \`${REBUILD_COMMAND}\``);
  const changes = diffSources(entry.sources, sourceDigests(readRegoSources(set.dir, root)));
  if (changes.changed.length + changes.added.length + changes.removed.length > 0) throw new StalePolicyError(set.name, changes);
  const wasm = new Uint8Array(readFileSync(path.join(root, entry.module)));
  if (sha256(wasm) !== entry.moduleSha256) {
    throw new Error(`${entry.module} does not match the sha256 in ${POLICY_MANIFEST}: rebuild with \`${REBUILD_COMMAND}\``);
  }
  return wasm;
}

/** The manifest entry for a freshly built module. */
export function manifestEntry(set: PolicySet, wasm: Uint8Array, root: string = PROJECT_ROOT): PolicySetBuild {
  return {
    entrypoint: set.entrypoint,
    module: set.module,
    moduleSha256: sha256(wasm),
    sources: sourceDigests(readRegoSources(set.dir, root)),
  };
}
