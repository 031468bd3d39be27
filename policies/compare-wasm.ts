import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { loadLandingZones } from "../config/loader";
import { buildConfigInput } from "./input";
import { compareViolations, toViolation, type Violation } from "./violation";

/**
 * `node dist/policies/compare-wasm.js <a.wasm> <b.wasm> <config>...`: evaluates the config policies of two Wasm
 * builds (e.g. `opa build -t wasm` and rego-wasm) on the same landing zones and fails when they disagree. Used by
 * the optional OPA job of .github/workflows/pr.yml.
 */

const ENTRYPOINT = "backup_audit/config/violations";

async function evaluate(wasmFile: string, input: unknown): Promise<Violation[]> {
  const policy = await loadPolicy(readFileSync(wasmFile));
  const rs = policy.evaluate(input, ENTRYPOINT) as Array<{ result: unknown[] }>;
  return (rs[0]?.result ?? []).map(toViolation).sort(compareViolations);
}

export async function compareWasm(a: string, b: string, configs: string[]): Promise<boolean> {
  const input = buildConfigInput(await loadLandingZones(configs));
  const [va, vb] = await Promise.all([evaluate(a, input), evaluate(b, input)]);
  const same = isDeepStrictEqual(va, vb);
  process.stdout.write(`${a}: ${va.length} violation(s); ${b}: ${vb.length} violation(s): ${same ? "identical" : "DIFFERENT"}\n`);
  if (!same) process.stdout.write(`${JSON.stringify({ [a]: va, [b]: vb }, null, 2)}\n`);
  return same;
}

if (require.main === module) {
  const [a, b, ...configs] = process.argv.slice(2);
  if (!a || !b) {
    process.stderr.write("usage: compare-wasm <a.wasm> <b.wasm> [config...]\n");
    process.exit(2);
  }
  compareWasm(a, b, configs).then(
    (same) => process.exit(same ? 0 : 1),
    (err: unknown) => {
      process.stderr.write(`compare-wasm: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
