import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../app/project-root";

/**
 * The three policy sets and the Rego sources they are built from: the config before synth, the synthesized
 * Terraform JSON after it, and saved plans (`terraform show -json`) before apply. Paths are relative to the
 * project root with `/` separators: they are what `opa build` is given (so the built module does not depend on
 * where the clone lives) and what the build manifest records.
 */

export type PolicySetName = "config" | "terraform" | "plan";

export interface PolicySet {
  name: PolicySetName;
  /** Folder of the set's `*.rego` files, relative to the project root; `*_test.rego` are not built. */
  dir: string;
  /** The Wasm entrypoint the gate evaluates: the set of violations (any one fails the gate). */
  entrypoint: string;
  /** A second entrypoint, built into the same module: warnings, printed but never failing the gate. */
  warningsEntrypoint?: string;
  /** The committed module `opa build -t wasm` wrote, relative to the project root. */
  module: string;
}

/** The config set's warnings: findings printed on stderr that never fail the gate (e.g. BAI054). */
export const CONFIG_WARNINGS_ENTRYPOINT = "backup_audit/config/warnings";

export const POLICY_SETS: Readonly<Record<PolicySetName, PolicySet>> = {
  config: {
    name: "config",
    dir: "policies/config",
    entrypoint: "backup_audit/config/violations",
    warningsEntrypoint: CONFIG_WARNINGS_ENTRYPOINT,
    module: "policies/build/config.wasm",
  },
  terraform: {
    name: "terraform",
    dir: "policies/terraform",
    entrypoint: "backup_audit/terraform/violations",
    module: "policies/build/terraform.wasm",
  },
  plan: {
    name: "plan",
    dir: "policies/plan",
    // An object (deny, warn, waived): the plan guard has levels and waivers, unlike the two gates.
    entrypoint: "backup_audit/plan/report",
    module: "policies/build/plan.wasm",
  },
};

/** Folder of the committed modules and their manifest. */
export const POLICY_BUILD_DIR = "policies/build";
export const POLICY_MANIFEST = `${POLICY_BUILD_DIR}/manifest.json`;

/** Every entrypoint a set's module is built with: violations first (the module's default), then warnings. */
export function entrypointsOf(set: PolicySet): string[] {
  return set.warningsEntrypoint ? [set.entrypoint, set.warningsEntrypoint] : [set.entrypoint];
}

/** Is this a policy module (not a Rego unit test)? */
export function isPolicyModule(file: string): boolean {
  return file.endsWith(".rego") && !file.endsWith("_test.rego");
}

/** The policy modules of a folder (tests left out), by file name, as `{relativePath: text}`. */
export function readRegoSources(dir: string, root: string = PROJECT_ROOT): Record<string, string> {
  const full = path.resolve(root, dir);
  const files = readdirSync(full).filter(isPolicyModule).sort();
  const out: Record<string, string> = {};
  for (const f of files) {
    const rel = path.relative(root, path.join(full, f)).split(path.sep).join("/");
    out[rel] = readFileSync(path.join(full, f), "utf8");
  }
  return out;
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** sha256 of every source, keyed like readRegoSources. */
export function sourceDigests(sources: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(sources).map(([file, text]) => [file, sha256(text)]));
}
