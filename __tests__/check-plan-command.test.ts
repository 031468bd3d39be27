import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCheckPlanCommand, type CheckPlanCommandOptions } from "../cli/commands/check-plan";
import type { SarifLog } from "../policies/sarif";
import { cleanup, type TerraformJson } from "./helpers/landing-zone";
import { plansFor, synthesizedStacks, type PlanJson } from "./plan-fixtures";

/**
 * `backup-audit check-plan`: exit codes 0/1/2, and the text, JSON and SARIF reports on plan files as
 * `terraform show -json` writes them (one line) and as `jq .` prints them (positions by line).
 */

let work: string;
let base: Record<string, TerraformJson>;
let renamed: Record<string, PlanJson>;
let unchanged: Record<string, PlanJson>;

beforeAll(() => {
  base = synthesizedStacks();
  renamed = plansFor(base, synthesizedStacks((c) => (c.reports.bucketName = "acme-backup-reports-v2-111122223333")));
  unchanged = plansFor(base, base);
});
afterAll(cleanup);
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "check-plan-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = path.join(work, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Writes each stack's plan to <work>/cdktf.out/stacks/<stack>/plan.json: one line, or pretty-printed. */
function writePlans(plans: Record<string, PlanJson>, pretty = false): string[] {
  return Object.entries(plans).map(([stack, plan]) => write(`cdktf.out/stacks/${stack}/plan.json`, pretty ? JSON.stringify(plan, null, 2) : JSON.stringify(plan)));
}

async function run(options: CheckPlanCommandOptions) {
  let stdout = "";
  let stderr = "";
  const code = await runCheckPlanCommand({ date: "2026-06-02", ...options }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const waiverYaml = [
  "# Plan waivers (docs/policies.md, \"Plan guard\")",
  "waivers:",
  "  - rule: BAI201",
  "    address: aws_s3_bucket.reports-bucket_*",
  "    stack: acme-prod-reporting",
  "    owner: platform-team",
  "    reason: reports bucket renamed, objects copied (CHG-1234)",
  "    expires: 2026-06-30",
  "",
].join("\n");

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not found`);
  return i + 1;
}

describe("backup-audit check-plan", () => {
  it("exits 0 on plans that change nothing, with one line per plan", async () => {
    const files = writePlans(unchanged);
    const r = await run({ plans: files });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[4]).toMatch(/^plan acme-prod-reporting \(.*cdktf\.out\/stacks\/acme-prod-reporting\/plan\.json, Terraform 1\.10\.5\): 0 to create, 0 to update, 0 to replace, 0 to delete, \d+ unchanged$/);
    expect(lines[6]).toBe("plan check: passed: 0 denied, 0 warnings, 0 waived");
  });

  it("exits 1 on a renamed reports bucket, naming the plan file, line and column, the address, message and fix", async () => {
    const files = writePlans(renamed, true);
    const reporting = files.find((f) => f.includes("acme-prod-reporting"))!;
    const text = readFileSync(reporting, "utf8");
    const r = await run({ plans: files });
    expect(r.code).toBe(1);
    const address = (renamed["acme-prod-reporting"].resource_changes.find((c) => c.type === "aws_s3_bucket" && c.address.includes("reports-bucket")))!.address;
    // The resource change's object starts on the line before its "address".
    const line = lineOf(text, `"address": "${address}"`) - 1;
    expect(r.stdout).toContain(
      `${reporting}:${line}:5: deny BAI201 [acme-prod] ${address}: the plan deletes and re-creates S3 bucket acme-backup-reports-111122223333 (forced by a change of bucket; Terraform: replace_because_cannot_update): its objects`,
    );
    expect(r.stdout).toContain("\n    fix: keep the bucket: undo the rename");
    expect(r.stdout).toMatch(/: warn BAI224 \[acme-prod\] aws_s3_bucket\.athena_results-bucket_[0-9A-F]{8}: /);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("plan check: refused: 1 denied, 1 warning, 0 waived");
  });

  it("exits 0 with a waiver in force, reporting the waived finding and its waiver; 1 once it has expired", async () => {
    const files = writePlans(renamed);
    const waivers = write("plan-waivers.yaml", waiverYaml);
    const ok = await run({ plans: files, waivers });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/: waived BAI201 \[acme-prod\] aws_s3_bucket\.reports-bucket_/);
    expect(ok.stdout).toContain(
      `    waiver: ${waivers}:3 (BAI201 aws_s3_bucket.reports-bucket_*, stack acme-prod-reporting, owner platform-team, in force until 2026-06-30): reports bucket renamed, objects copied (CHG-1234)`,
    );
    expect(ok.stdout.trimEnd().split("\n").pop()).toBe("plan check: passed: 0 denied, 1 warning, 1 waived");

    const late = await run({ plans: files, waivers, date: "2026-07-01" });
    expect(late.code).toBe(1);
    expect(late.stdout).toContain(
      `${waivers}:3:5: deny BAI228 waivers[0]: the waiver of BAI201 for aws_s3_bucket.reports-bucket_* (stack acme-prod-reporting, owner platform-team) expired on 2026-06-30`,
    );
    expect(late.stdout).toMatch(/: deny BAI201 \[acme-prod\] aws_s3_bucket\.reports-bucket_/);
  });

  it("reports a waiver that matches nothing as a warning, exit 0", async () => {
    const r = await run({ plans: writePlans(unchanged), waivers: write("w.yaml", waiverYaml) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(": warn BAI229 waivers[0]: the waiver of BAI201 for aws_s3_bucket.reports-bucket_* (stack acme-prod-reporting, owner platform-team, until 2026-06-30) matches no finding in the plans checked");
  });

  it("writes JSON: the verdict, the plans and the findings by status", async () => {
    const r = await run({ plans: writePlans(renamed), waivers: write("w.yaml", waiverYaml), format: "json" });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("backup-audit check-plan: passed: 0 denied, 1 warning, 1 waived\n");
    const report = JSON.parse(r.stdout) as {
      passed: boolean;
      today: string;
      plans: Array<{ stack: string; replace: number }>;
      denied: unknown[];
      warnings: Array<{ id: string; level: string }>;
      waived: Array<{ id: string; level: string; actions: string[]; waiver: { owner: string; line: number } }>;
    };
    expect([report.passed, report.today, report.denied]).toEqual([true, "2026-06-02", []]);
    expect(report.plans.map((p) => p.stack)).toHaveLength(6);
    expect(report.plans.find((p) => p.stack === "acme-prod-reporting")!.replace).toBeGreaterThanOrEqual(9);
    expect(report.warnings.map((f) => [f.id, f.level])).toEqual([["BAI224", "warn"]]);
    expect(report.waived.map((f) => [f.id, f.level, f.actions, f.waiver.owner, f.waiver.line])).toEqual([["BAI201", "deny", ["delete", "create"], "platform-team", 3]]);
  });

  it("writes SARIF: errors, warnings, and waived findings as suppressed notes", async () => {
    const out = path.join(work, "out", "plan.sarif");
    const files = writePlans(renamed, true);
    const waivers = write("w.yaml", waiverYaml.replace("rule: BAI201", "rule: BAI224").replace("aws_s3_bucket.reports-bucket_*", "aws_s3_bucket.athena_results-bucket_*").replace("stack: acme-prod-reporting", "stack: acme-prod-*"));
    const r = await run({ plans: files, waivers, format: "sarif", output: out });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const sarif = JSON.parse(readFileSync(out, "utf8")) as SarifLog;
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.name).toBe("backup-audit plan guard");
    expect(run0.tool.driver.rules.map((rule) => [rule.id, rule.shortDescription.text, rule.defaultConfiguration.level])).toEqual([
      ["BAI201", "S3 buckets that hold audit evidence or access logs are not deleted or replaced", "error"],
      ["BAI224", "The Athena results bucket is not replaced or deleted unnoticed", "note"],
    ]);
    const [denied, waived] = run0.results;
    expect([denied.ruleId, denied.level, denied.suppressions]).toEqual(["BAI201", "error", undefined]);
    const reporting = files.find((f) => f.includes("acme-prod-reporting"))!;
    expect(denied.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: `file://${reporting}` },
      region: { startLine: expect.any(Number), startColumn: 5 },
    });
    expect(denied.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^aws_s3_bucket\.reports-bucket_/);
    expect([waived.ruleId, waived.level]).toEqual(["BAI224", "note"]);
    expect(waived.suppressions).toEqual([{ kind: "external", status: "accepted", justification: `waived by ${waivers}:3 (owner platform-team, until 2026-06-30): reports bucket renamed, objects copied (CHG-1234)` }]);
  });

  it("adds custom rules from --policy folders (package backup_audit.plan), waivable like the built-in ones", async () => {
    const dir = path.join(work, "rules");
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, "roles.rego"),
      [
        "package backup_audit.plan",
        "",
        "import rego.v1",
        "",
        "# rule ACME201: IAM roles are not replaced",
        "deny contains f if {",
        '\tsome c in changes_of("aws_iam_role")',
        "\tremoves(c.rc)",
        '\tf := finding(c, "ACME201", sprintf("the plan replaces IAM role %s", [old_name(c.rc, "name")]), "keep the role name")',
        "}",
        "",
      ].join("\n"),
    );
    // The unchanged analytics plan, with its IAM role replaced.
    const analytics = JSON.parse(JSON.stringify(unchanged["acme-prod-analytics"])) as PlanJson;
    const role = analytics.resource_changes.find((c) => c.type === "aws_iam_role")!;
    role.change.actions = ["delete", "create"];
    const file = write("plans/acme-prod-analytics.json", JSON.stringify(analytics));
    const r = await run({ plans: [file], policyDirs: [dir], format: "sarif" });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout) as SarifLog;
    expect(sarif.runs[0].tool.driver.rules.map((rule) => [rule.id, rule.shortDescription.text])).toEqual([["ACME201", "IAM roles are not replaced"]]);
    expect(sarif.runs[0].results[0].message.text).toBe(`${role.address}: the plan replaces IAM role ${String(role.change.before!.name)}`);

    const waived = await run({
      plans: [file],
      policyDirs: [dir],
      waivers: write("w.yaml", "waivers:\n  - {rule: ACME201, address: 'aws_iam_role.*', owner: o, reason: r, expires: 2026-06-30}\n"),
    });
    expect(waived.code).toBe(0);
    expect(waived.stdout).toContain(": waived ACME201 ");
  });

  it("exits 2 on a custom folder in another package, naming the package to use", async () => {
    const dir = path.join(work, "other");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "x.rego"), "package backup_audit.config\n");
    const r = await run({ plans: writePlans(unchanged), policyDirs: [dir] });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("declares package backup_audit.config: custom rules must be in package backup_audit.plan and add to `deny` or `warn`");
  });

  it.each([
    [["state.json", JSON.stringify({ format_version: "1.0", terraform_version: "1.10.5", values: {} })], "is `terraform show -json` of a state, not of a plan"],
    [["bad.json", '{"format_version": "1.2",'], 'bad.json:1:26: is not valid JSON (expected a key in double quotes, found the end of the file)'],
  ])("exits 2 on a plan file it cannot use (%j)", async ([name, content], message) => {
    const good = writePlans(unchanged);
    const r = await run({ plans: [...good, write(name, content)] });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("backup-audit check-plan: cannot read the input\n");
    expect(r.stderr).toContain(message);
  });

  it("exits 2 on a waiver file that does not match the format, naming its line", async () => {
    const waivers = write("w.yaml", waiverYaml.replace("    owner: platform-team\n", ""));
    const r = await run({ plans: writePlans(renamed), waivers });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${waivers}:3:5: waivers[0].owner: required field missing: add \`owner:\``);
  });

  it("exits 2 on usage errors", async () => {
    expect((await run({ plans: [] })).code).toBe(2);
    const badDate = await run({ plans: writePlans(unchanged), date: "2026-13-01" });
    expect([badDate.code, badDate.stderr]).toEqual([2, 'backup-audit check-plan: --date "2026-13-01" is not a calendar day written YYYY-MM-DD\n']);
    const badFormat = await run({ plans: writePlans(unchanged), format: "xml" as "text" });
    expect(badFormat.code).toBe(2);
  });
});

test("the example waiver file (examples/plan-guard, shown in docs/policies.md) lets a renamed bucket and a dropped template through", async () => {
  const changed = plansFor(
    base,
    synthesizedStacks((c) => {
      c.reports.bucketName = "acme-backup-reports-v2-111122223333";
      c.reports.templates = ["BACKUP_JOB_REPORT", "RESTORE_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT", "RESOURCE_COMPLIANCE_REPORT"];
    }),
  );
  const example = path.join(__dirname, "..", "examples", "plan-guard", "plan-waivers.yaml");
  const ok = await run({ plans: writePlans(changed), waivers: example, format: "json", date: "2026-07-15" });
  expect(ok.code).toBe(0);
  const report = JSON.parse(ok.stdout) as { waived: Array<{ id: string; waiver: { index: number } }>; warnings: Array<{ id: string }> };
  expect(report.waived.map((f) => [f.id, f.waiver.index])).toEqual([
    ["BAI201", 0],
    ["BAI202", 1],
  ]);
  expect(report.warnings.map((f) => f.id)).toEqual(["BAI224"]);
  // A day after the second waiver's date: the dropped template is refused again, and so is the expired waiver.
  const late = await run({ plans: writePlans(changed), waivers: example, format: "json", date: "2026-07-16" });
  expect(late.code).toBe(1);
  expect((JSON.parse(late.stdout) as { denied: Array<{ id: string }> }).denied.map((f) => f.id).sort()).toEqual(["BAI202", "BAI228"]);
});
