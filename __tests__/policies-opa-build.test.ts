import { compareWithCommitted, buildPolicyModules } from "../scripts/build-policies";
import { findOpa, OPA_VERSION } from "../policies/opa-cli";
import { readManifest } from "../policies/build-manifest";
import { POLICY_SETS } from "../policies/policy-sets";
import { ROOT } from "./policies-fixtures";

/**
 * The committed policy modules are what the pinned `opa build -t wasm` makes of the Rego sources today: rebuilt
 * here with the real opa, they must match byte for byte (opa build is deterministic), and the manifest must
 * name that OPA version. `npm test` installs opa first (scripts/ensure-opa.sh); without it this test fails.
 */

function opaOrFail(): string {
  const opa = findOpa();
  if (!opa) throw new Error(`OPA v${OPA_VERSION} is not installed: run scripts/ensure-opa.sh (npm test does)`);
  return opa;
}

describe("committed policy modules", () => {
  it("match a fresh opa build byte for byte", () => {
    const built = buildPolicyModules(opaOrFail(), ROOT);
    expect(compareWithCommitted(built, ROOT)).toEqual([]);
    // A real module of OPA's Wasm ABI, not an empty file.
    for (const set of Object.values(POLICY_SETS)) {
      expect(Buffer.from(built.modules[set.name].subarray(0, 4)).toString("latin1")).toBe("\0asm");
      expect(built.modules[set.name].length).toBeGreaterThan(10_000);
    }
  });

  it("are described by a manifest naming the pinned OPA and every Rego source", () => {
    const manifest = readManifest(ROOT);
    expect(manifest.opaVersion).toBe(OPA_VERSION);
    expect(Object.keys(manifest.sets).sort()).toEqual(["config", "plan", "terraform"]);
    expect(manifest.sets.plan.entrypoint).toBe("backup_audit/plan/report");
    expect(Object.keys(manifest.sets.plan.sources)).toContain("policies/plan/deletions.rego");
    expect(manifest.sets.config.entrypoint).toBe("backup_audit/config/violations");
    expect(Object.keys(manifest.sets.config.sources)).toContain("policies/config/report_formats.rego");
    expect(Object.keys(manifest.sets.terraform.sources).some((f) => f.endsWith("_test.rego"))).toBe(false);
  });
});
