import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../app/project-root";
import { manifestEntry, type PolicyManifest } from "../policies/build-manifest";
import { buildWasm, OPA_VERSION, requireOpa } from "../policies/opa-cli";
import { entrypointsOf, POLICY_BUILD_DIR, POLICY_MANIFEST, POLICY_SETS, type PolicySetName } from "../policies/policy-sets";

/**
 * `npm run build:policies`: builds every policy set with the pinned `opa build -t wasm` and writes the modules
 * and their manifest into policies/build/ (committed). `--check` builds in memory and exits 1 when the committed
 * files differ (opa build is deterministic: same OPA, same sources, same bytes).
 */

export interface BuiltPolicies {
  modules: Record<PolicySetName, Uint8Array>;
  manifest: PolicyManifest;
}

export function buildPolicyModules(opa: string, root: string = PROJECT_ROOT): BuiltPolicies {
  const modules = {} as Record<PolicySetName, Uint8Array>;
  const manifest: PolicyManifest = { opaVersion: OPA_VERSION, sets: {} as PolicyManifest["sets"] };
  for (const set of Object.values(POLICY_SETS)) {
    // Relative paths from the project root: the module then does not depend on where the clone lives.
    const wasm = buildWasm(opa, { entrypoints: entrypointsOf(set), paths: [set.dir], cwd: root });
    modules[set.name] = wasm;
    manifest.sets[set.name] = manifestEntry(set, wasm, root);
  }
  return { modules, manifest };
}

export function manifestText(manifest: PolicyManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Lists what differs between a fresh build and the committed files (empty when they match byte for byte). */
export function compareWithCommitted(built: BuiltPolicies, root: string = PROJECT_ROOT): string[] {
  const read = (rel: string): Buffer | null => {
    try {
      return readFileSync(path.join(root, rel));
    } catch {
      return null;
    }
  };
  const diffs: string[] = [];
  for (const set of Object.values(POLICY_SETS)) {
    const committed = read(set.module);
    if (!committed || !committed.equals(Buffer.from(built.modules[set.name]))) diffs.push(set.module);
  }
  const committedManifest = read(POLICY_MANIFEST)?.toString("utf8");
  if (committedManifest !== manifestText(built.manifest)) diffs.push(POLICY_MANIFEST);
  return diffs;
}

function writeAtomically(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function main(argv: string[]): number {
  const check = argv.includes("--check");
  const opa = requireOpa(check ? "Checking the built policy modules" : "Building the policy modules");
  const built = buildPolicyModules(opa);
  if (check) {
    const diffs = compareWithCommitted(built);
    if (diffs.length > 0) {
      process.stderr.write(`build:policies --check: stale or differing files: ${diffs.join(", ")}; run \`npm run build:policies\` and commit ${POLICY_BUILD_DIR}/\n`);
      return 1;
    }
    process.stdout.write(`build:policies --check: ${POLICY_BUILD_DIR}/ matches a fresh opa ${OPA_VERSION} build byte for byte\n`);
    return 0;
  }
  mkdirSync(path.join(PROJECT_ROOT, POLICY_BUILD_DIR), { recursive: true });
  for (const set of Object.values(POLICY_SETS)) writeAtomically(path.join(PROJECT_ROOT, set.module), built.modules[set.name]);
  // The manifest last: a reader that sees it sees the modules it describes.
  writeAtomically(path.join(PROJECT_ROOT, POLICY_MANIFEST), manifestText(built.manifest));
  const sizes = Object.values(POLICY_SETS).map((s) => `${s.module} (${built.modules[s.name].length} bytes)`);
  process.stdout.write(`build:policies: opa ${OPA_VERSION} built ${sizes.join(", ")} and ${POLICY_MANIFEST}\n`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`build:policies: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}
