import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runValidateCommand } from "../cli/commands/validate";
import { policyDirsFromEnv } from "../policies/gate";
import type { SarifLog } from "../policies/sarif";
import type { Violation } from "../policies/violation";
import { EXAMPLE_FILE, ROOT } from "./policies-fixtures";

/**
 * A platform team's own Rego rules (docs/policies.md, "Your own rules"): the worked example in
 * examples/policies/owner-tag, compiled by the real opa with the built-in config policies, through
 * `backup-audit validate --policy` and through synth with BACKUP_AUDIT_POLICIES.
 */

const OWNER_TAG = path.join(ROOT, "examples", "policies", "owner-tag");
const MAIN = path.join(ROOT, "dist", "main.js");
const example = readFileSync(EXAMPLE_FILE, "utf8");

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "custom-policies-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function validate(configs: string[], policyDirs: string[], format: "text" | "json" | "sarif" = "text") {
  let stdout = "";
  let stderr = "";
  const code = await runValidateCommand({ configs, policyDirs, format }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function writeFile(rel: string, text: string): string {
  const file = path.join(work, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const tagLine = example.split("\n").findIndex((l) => l === "tags:") + 1;

describe("custom policy folders in validate", () => {
  it("report the custom rule like a built-in one, in text, JSON and SARIF", async () => {
    const config = writeFile("acme-prod.yaml", example);
    const text = await validate([config], [OWNER_TAG]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe(
      `${config}:${tagLine}:1: ACME001 [acme-prod] tags: landing zone acme-prod has no cost-center tag, which ACME's cost reports and on-call routing read\n` +
        "    fix: add cost-center: <value> under tags\npolicy gate: 1 violation\n",
    );

    const json = await validate([config], [OWNER_TAG], "json");
    expect(JSON.parse(json.stdout) as Violation[]).toEqual([
      {
        id: "ACME001",
        landingZone: "acme-prod",
        file: config,
        path: "tags",
        message: "landing zone acme-prod has no cost-center tag, which ACME's cost reports and on-call routing read",
        fix: "add cost-center: <value> under tags",
      },
    ]);

    const sarif = JSON.parse((await validate([config], [OWNER_TAG], "sarif")).stdout) as SarifLog;
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r) => [r.id, r.shortDescription.text])).toEqual([
      ["ACME001", "Every landing zone names an owner and a cost centre in its default tags"],
    ]);
    expect(run.results[0].locations[0].physicalLocation?.region).toEqual({ startLine: tagLine, startColumn: 1 });
  });

  it("pass once the config satisfies the custom rule, and built-in rules still apply", async () => {
    const tagged = example.replace("  owner: platform-team", "  owner: platform-team\n  cost-center: cc-42");
    const ok = await validate([writeFile("ok.yaml", tagged)], [OWNER_TAG]);
    expect(ok.stdout).toBe("policy gate: no violations\n");
    expect(ok.code).toBe(0);

    const both = await validate([writeFile("both.yaml", tagged.replace("  formats: [CSV]", "  formats: [JSON]"))], [OWNER_TAG]);
    expect(both.code).toBe(1);
    expect(both.stdout).toContain("BAI001 [acme-prod] reports.formats");
    expect(both.stdout).not.toContain("ACME001");
  });

  it("refuse unusable folders with exit 2 and the reason", async () => {
    const missing = await validate([EXAMPLE_FILE], [path.join(work, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`custom policy folder ${path.join(work, "nope")} does not exist`);

    writeFile("empty/README.md", "no rules here");
    const empty = await validate([EXAMPLE_FILE], [path.join(work, "empty")]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("has no .rego policy files");

    writeFile("other/rule.rego", "package acme.rules\n\nimport rego.v1\n\nviolations contains 1 if true\n");
    const other = await validate([EXAMPLE_FILE], [path.join(work, "other")]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("declares package acme.rules: custom rules must be in package backup_audit.config");

    const bad = writeFile("bad/rule.rego", "package backup_audit.config\n\nimport rego.v1\n\nviolations contains v if {\n\tv := \n}\n");
    const syntax = await validate([EXAMPLE_FILE], [path.dirname(bad)]);
    expect(syntax.code).toBe(2);
    // opa's own parser message, naming the file and line.
    expect(syntax.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+: rego_parse_error`));
  });

  it("say that opa is needed, and how to get it, when it is missing", async () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "backup-audit.js"), "validate", "--config", EXAMPLE_FILE, "--policy", OWNER_TAG], {
      cwd: work,
      encoding: "utf8",
      // No opa on PATH, an empty project cache: only node itself is reachable.
      env: { PATH: path.dirname(process.execPath), HOME: work, BACKUP_AUDIT_CACHE: path.join(work, "cache") },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("needs OPA v1.22.3, which is neither on PATH nor in");
    expect(r.stderr).toContain("scripts/ensure-opa.sh");
    expect(r.stderr).toContain("open-policy-agent/setup-opa");
  });
});

describe("custom policy folders in synth", () => {
  function synth(env: NodeJS.ProcessEnv, outdir: string) {
    return spawnSync(process.execPath, [MAIN], {
      cwd: work,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, NODE_OPTIONS: "", CDKTF_OUTDIR: outdir, BACKUP_AUDIT_CONFIG: writeFile("acme-prod.yaml", example), ...env },
    });
  }

  it("refuse a config that breaks a custom rule and write nothing", () => {
    const outdir = path.join(work, "cdktf.out");
    const r = synth({ BACKUP_AUDIT_POLICIES: OWNER_TAG }, outdir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("ACME001 [acme-prod] tags: landing zone acme-prod has no cost-center tag");
    expect(existsSync(outdir)).toBe(false);
  });

  it("synthesize once the custom rule passes", () => {
    const outdir = path.join(work, "cdktf.out");
    // With an alert address: no warning either (BAI054), so stderr stays empty.
    const tagged = writeFile(
      "tagged.yaml",
      `${example.replace("  owner: platform-team", "  owner: platform-team\n  cost-center: cc-42")}alerts:\n  emails: [ops@example.com]\n`,
    );
    const r = synth({ BACKUP_AUDIT_POLICIES: ` ${OWNER_TAG} ,`, BACKUP_AUDIT_CONFIG: tagged }, outdir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(path.join(outdir, "stacks", "acme-prod-reporting", "cdk.tf.json"))).toBe(true);
  });

  it("refuse a variable that names no folder", () => {
    expect(() => policyDirsFromEnv({ BACKUP_AUDIT_POLICIES: " , " })).toThrow("BACKUP_AUDIT_POLICIES is set but names no folder");
    const r = synth({ BACKUP_AUDIT_POLICIES: "," }, path.join(work, "out"));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("$BACKUP_AUDIT_POLICIES is set but names no folder");
  });
});
