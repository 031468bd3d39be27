import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { diffSources, readBuiltModule, StalePolicyError } from "../policies/build-manifest";
import { POLICY_SETS } from "../policies/policy-sets";
import { ROOT } from "./policies-fixtures";

/**
 * A committed module that no longer matches its Rego sources stops validate and synth with a message naming the
 * policy set, the files and the rebuild command. End to end on a copy of the built project, where a Rego file is
 * then edited as a contributor would.
 */

let copy: string;
beforeEach(() => {
  copy = mkdtempSync(path.join(os.tmpdir(), "stale-policies-"));
  for (const entry of ["package.json", "dist", "policies", "config", "queries", "bin", path.join("lambdas", "partitioner", "dist")]) {
    cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
});
afterEach(() => rmSync(copy, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, args, { cwd: copy, encoding: "utf8", timeout: 120_000, env: { ...process.env, NODE_OPTIONS: "", ...env } });
}

describe("stale policy modules", () => {
  it("are accepted while the sources match", () => {
    expect(readBuiltModule(POLICY_SETS.config, copy).length).toBeGreaterThan(0);
    const r = run(["bin/backup-audit.js", "validate"]);
    expect(r.stdout).toContain("policy gate: no violations");
    expect(r.status).toBe(0);
  });

  it("name the changed file and the rebuild command", () => {
    appendFileSync(path.join(copy, "policies", "config", "report_formats.rego"), "\n# an edit\n");
    expect(() => readBuiltModule(POLICY_SETS.config, copy)).toThrow(StalePolicyError);
    expect(() => readBuiltModule(POLICY_SETS.config, copy)).toThrow(
      'policy set "config" is stale: policies/build/config.wasm was built from other Rego sources (changed: policies/config/report_formats.rego). Rebuild it with `npm run build:policies`',
    );
    // The Terraform set is untouched and still loads.
    expect(readBuiltModule(POLICY_SETS.terraform, copy).length).toBeGreaterThan(0);

    const validate = run(["bin/backup-audit.js", "validate"]);
    expect(validate.status).toBe(2);
    expect(validate.stderr).toContain('policy set "config" is stale');
    expect(validate.stderr).toContain("npm run build:policies");

    const outdir = path.join(copy, "cdktf.out");
    const synth = run(["dist/main.js"], { CDKTF_OUTDIR: outdir });
    expect(synth.status).toBe(2);
    expect(synth.stderr).toContain("the policy gate cannot run; nothing was synthesized");
    expect(synth.stderr).toContain("changed: policies/config/report_formats.rego");
    expect(existsSync(outdir)).toBe(false);
  });

  it("report added and removed policy files", () => {
    writeFileSync(path.join(copy, "policies", "terraform", "extra.rego"), "package backup_audit.terraform\n");
    rmSync(path.join(copy, "policies", "terraform", "sqs.rego"));
    expect(() => readBuiltModule(POLICY_SETS.terraform, copy)).toThrow(
      "(added: policies/terraform/extra.rego; removed: policies/terraform/sqs.rego)",
    );
  });

  it("refuse a module whose bytes differ from the manifest", () => {
    appendFileSync(path.join(copy, "policies", "build", "config.wasm"), "x");
    expect(() => readBuiltModule(POLICY_SETS.config, copy)).toThrow("policies/build/config.wasm does not match the sha256 in policies/build/manifest.json");
  });

  it("ignore test files", () => {
    writeFileSync(path.join(copy, "policies", "config", "new_test.rego"), "package backup_audit.config\n");
    expect(readBuiltModule(POLICY_SETS.config, copy).length).toBeGreaterThan(0);
  });
});

describe("diffSources", () => {
  it("sorts files into changed, added and removed", () => {
    expect(diffSources({ a: "1", b: "2", c: "3" }, { a: "1", b: "9", d: "4" })).toEqual({ changed: ["b"], added: ["d"], removed: ["c"] });
  });
});
