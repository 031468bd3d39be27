import { DEFAULT_REPORT_TEMPLATES } from "../reports/templates";
import { checkPlans, PlanInputError, type PlanCheckResult, type PlanInput } from "../policies/plan-check";
import { cleanup, type TerraformJson } from "./helpers/landing-zone";
import { planBetween, plansFor, synthesizedStacks, FIXTURE_QUERIES, type PlanJson } from "./plan-fixtures";
import type { RawConfig } from "./policies-fixtures";

/**
 * The plan guard (policies/plan through the committed Wasm module) on plans of the project's own stacks: a config
 * change of the tests' landing zone becomes, stack by stack, the plan Terraform would make (plan-fixtures.ts), and
 * checkPlans must refuse what deletes the audit trail and let the rest through.
 */

afterAll(cleanup);

let base: Record<string, TerraformJson>;
beforeAll(() => {
  base = synthesizedStacks();
});

function inputs(plans: Record<string, PlanJson>): PlanInput[] {
  return Object.entries(plans).map(([stack, plan]) => ({ file: `cdktf.out/stacks/${stack}/plan.json`, plan }));
}

/** The plans of every stack for a config change of the base landing zone. */
function change(mutate: (c: RawConfig) => void, queries = FIXTURE_QUERIES): PlanInput[] {
  return inputs(plansFor(base, synthesizedStacks(mutate, queries)));
}

const ids = (fs: ReadonlyArray<{ id: string }>) => fs.map((f) => f.id);
const summary = (r: PlanCheckResult) => [ids(r.denied), ids(r.warnings), ids(r.waived)];

const TODAY = "2026-06-02";

describe("plans of config changes", () => {
  it("pass when nothing changes, every stack reported as unchanged", () => {
    const r = checkPlans(change(() => undefined), { today: TODAY });
    expect(summary(r)).toEqual([[], [], []]);
    expect(r.passed).toBe(true);
    expect(r.plans.map((p) => p.stack)).toEqual(["acme-prod-analytics", "acme-prod-audit-trail", "acme-prod-member-frameworks", "acme-prod-organization", "acme-prod-reporting", "acme-prod-trail-bucket"]);
    for (const p of r.plans) expect([p.create, p.update, p.replace, p.delete]).toEqual([0, 0, 0, 0]);
    expect(r.plans.find((p) => p.stack === "acme-prod-reporting")!.unchanged).toBeGreaterThan(15);
  });

  it("pass when they only add: a Region for the frameworks, a tag on everything, an alert address", () => {
    const r = checkPlans(
      change((c) => {
        c.reports.memberFrameworks.regions = ["us-east-1", "eu-west-1"];
        c.tags["cost-center"] = "cc-42";
        c.alerts = { emails: ["oncall@example.com"] };
      }),
      { today: TODAY },
    );
    expect(summary(r)).toEqual([[], [], []]);
    expect(r.passed).toBe(true);
    const frameworks = r.plans.find((p) => p.stack === "acme-prod-member-frameworks")!;
    expect(frameworks.create).toBe(1);
    expect(r.plans.reduce((n, p) => n + p.update, 0)).toBeGreaterThan(30);
  });

  it("refuse a renamed reports bucket (once: its encryption, versioning and logging go with it) and warn about the results bucket", () => {
    const r = checkPlans(change((c) => (c.reports.bucketName = "acme-backup-reports-v2-111122223333")), { today: TODAY });
    expect(r.passed).toBe(false);
    expect(r.denied.map((f) => [f.id, f.stack, f.address, f.actions])).toEqual([
      ["BAI201", "acme-prod-reporting", expect.stringMatching(/^aws_s3_bucket\.reports-bucket_[0-9A-F]{8}$/), ["delete", "create"]],
    ]);
    expect(r.denied[0].message).toMatch(
      /^the plan deletes and re-creates S3 bucket acme-backup-reports-111122223333 \(forced by a change of bucket; Terraform: replace_because_cannot_update\): its objects/,
    );
    expect(r.denied[0].landingZone).toBe("acme-prod");
    expect(r.denied[0].file).toBe("cdktf.out/stacks/acme-prod-reporting/plan.json");
    // The Athena results bucket is named after the reports bucket: re-created, recognised by the workgroup.
    expect(r.warnings.map((f) => [f.id, f.stack])).toEqual([["BAI224", "acme-prod-analytics"]]);
  });

  it("refuse a renamed report plan and a dropped template", () => {
    const r = checkPlans(
      change((c) => {
        c.reports.overrides = { BACKUP_JOB_REPORT: { name: "acme_prod_backup_jobs" } };
        c.reports.templates = DEFAULT_REPORT_TEMPLATES.filter((t) => t !== "COPY_JOB_REPORT");
      }),
      { today: TODAY },
    );
    expect(r.denied.map((f) => [f.id, f.actions])).toEqual([
      ["BAI202", ["delete", "create"]],
      ["BAI202", ["delete"]],
    ]);
    expect(r.denied[0].message).toMatch(/^the plan deletes and re-creates report plan acme_prod_backup_job_report \(forced by a change of name; Terraform: replace_because_cannot_update\): /);
    expect(r.denied[1].message).toMatch(/^the plan deletes report plan acme_prod_copy_job_report \(Terraform: delete_because_no_resource_config\): /);
    expect(r.passed).toBe(false);
  });

  it("refuse a renamed trail and a Region dropped from the frameworks StackSet", () => {
    const r = checkPlans(
      change((c) => {
        c.auditTrail.name = "acme-prod-backup-trail-v2";
        c.reports.memberFrameworks.regions = ["eu-west-1"];
      }),
      { today: TODAY },
    );
    expect(r.denied.map((f) => [f.id, f.stack, f.actions])).toEqual([
      ["BAI203", "acme-prod-audit-trail", ["delete", "create"]],
      ["BAI204", "acme-prod-member-frameworks", ["delete"]],
    ]);
    expect(r.denied[1].message).toMatch(/^the plan deletes stack instance of the frameworks StackSet in Region us-east-1 /);
  });

  it("refuse a framework dropped from the StackSet's template, pass one added at the end", () => {
    const two = (c: RawConfig) =>
      c.reports.frameworks.push({ name: "acme_vault_locks", controls: [{ name: "BACKUP_RECOVERY_POINT_ENCRYPTED" }] });
    const withTwo = synthesizedStacks(two);
    const added = checkPlans(inputs(plansFor(base, withTwo)), { today: TODAY });
    expect(summary(added)).toEqual([[], [], []]);
    const dropped = checkPlans(
      inputs(plansFor(withTwo, synthesizedStacks((c) => (c.reports.frameworks = [{ name: "acme_vault_locks", controls: [{ name: "BACKUP_RECOVERY_POINT_ENCRYPTED" }] }])))),
      { today: TODAY },
    );
    expect(dropped.denied.map((f) => [f.id, f.stack, f.actions])).toEqual([["BAI209", "acme-prod-member-frameworks", ["update"]]]);
    expect(dropped.denied[0].message).toContain("no longer deploys framework acme_backup_baseline (Framework0), acme_vault_locks (Framework1): ");
  });

  it("refuse dropping the customer-managed keys and the trail's SSE-KMS, not the buckets' change to SSE-S3", () => {
    const withKeys = synthesizedStacks((c) => (c.encryption = { createKeys: true }));
    const r = checkPlans(inputs(plansFor(withKeys, base)), { today: TODAY });
    const keys = r.denied.filter((f) => f.id === "BAI206");
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const f of keys) expect(f.actions).toEqual(["delete"]);
    // The buckets' encryption configurations are updated from aws:kms to AES256: still encrypted, so not refused.
    const sse = inputs(plansFor(withKeys, base))
      .flatMap((p) => (p.plan as PlanJson).resource_changes)
      .filter((c) => c.type === "aws_s3_bucket_server_side_encryption_configuration" && c.change.actions.includes("update"));
    expect(sse.length).toBeGreaterThan(0);
    expect(r.denied.filter((f) => f.id !== "BAI206").map((f) => [f.id, f.address, f.message])).toEqual([
      ["BAI210", "aws_cloudtrail.backup-trail_6B6A9A26", "the plan switches off encryption with its KMS key (SSE-KMS of the log files) of CloudTrail trail acme-prod-backup-events"],
    ]);
  });

  it("warn about replaced named queries and pass otherwise", () => {
    const queries = FIXTURE_QUERIES.map((q) => (q.name === "largest_backups" ? { ...q, sql: "SELECT 3" } : q));
    const r = checkPlans(change(() => undefined, queries), { today: TODAY });
    expect(r.passed).toBe(true);
    expect(r.warnings.map((f) => [f.id, f.actions])).toEqual([["BAI222", ["delete", "create"]]]);
    expect(r.warnings[0].message).toMatch(/^the plan deletes and re-creates Athena named query largest_backups \(forced by a change of query; /);
  });

  it("refuse a stack's plan that deletes everything (the stack removed from the run)", () => {
    const r = checkPlans([{ file: "plans/acme-prod-trail-bucket.json", plan: planBetween(base["acme-prod-trail-bucket"], null) }], { today: TODAY });
    expect(r.plans[0].stack).toBe("acme-prod-trail-bucket");
    // The trail's bucket and its log bucket, each once; their protections are not reported again.
    expect(ids(r.denied)).toEqual(["BAI201", "BAI201"]);
  });
});

describe("waivers", () => {
  let renamed: PlanInput[];
  beforeAll(() => {
    renamed = change((c) => (c.reports.bucketName = "acme-backup-reports-v2-111122223333"));
  });
  const waiver = {
    rule: "BAI201",
    address: "aws_s3_bucket.reports-bucket_*",
    stack: "acme-prod-reporting",
    owner: "platform-team",
    reason: "bucket renamed on purpose; objects copied to the new bucket (CHG-1234)",
    expires: "2026-06-30",
  };

  it("let the renamed bucket through until the waiver's date, reported with the waiver", () => {
    for (const today of [TODAY, "2026-06-30"]) {
      const r = checkPlans(renamed, { today, waivers: [waiver] });
      expect(r.passed).toBe(true);
      expect(summary(r)).toEqual([[], ["BAI224"], ["BAI201"]]);
      expect(r.waived[0].waiver).toMatchObject({ ...waiver, index: 0, file: "<waivers>" });
    }
  });

  it("refuse the plan once the waiver has expired, with the expired waiver as a finding of its own", () => {
    const r = checkPlans(renamed, { today: "2026-07-01", waivers: [waiver] });
    expect(r.passed).toBe(false);
    expect(r.denied.map((f) => [f.id, f.path])).toEqual([
      ["BAI228", "waivers[0]"],
      ["BAI201", expect.stringMatching(/^aws_s3_bucket\.reports-bucket_/)],
    ]);
    expect(r.waived).toEqual([]);
  });

  it("report a waiver that matches nothing, without refusing", () => {
    const r = checkPlans(change(() => undefined), { today: TODAY, waivers: [waiver] });
    expect(r.passed).toBe(true);
    expect(r.warnings.map((f) => [f.id, f.file, f.path])).toEqual([["BAI229", "<waivers>", "waivers[0]"]]);
  });

  it("judge expiry on the UTC day of a Date", () => {
    const r = checkPlans(renamed, { today: new Date("2026-06-30T23:59:59Z"), waivers: [waiver] });
    expect(r.today).toBe("2026-06-30");
    expect(r.passed).toBe(true);
  });

  it("refuse waivers and days that are not well formed, naming the field", () => {
    expect(() => checkPlans(renamed, { today: TODAY, waivers: [{ ...waiver, owner: " " }] })).toThrow("<waivers>: [0].owner: owner must not be empty");
    expect(() => checkPlans(renamed, { today: TODAY, waivers: [{ ...waiver, expires: "2026-02-30" }] })).toThrow(
      "<waivers>: [0].expires: expires must be a calendar day written YYYY-MM-DD, e.g. 2026-07-31",
    );
    expect(() => checkPlans(renamed, { today: TODAY, waivers: [{ ...waiver, rule: "BAI228" }] })).toThrow(/cannot be waived/);
    expect(() => checkPlans(renamed, { today: "02/06/2026" })).toThrow(PlanInputError);
  });
});

describe("plans the guard cannot read", () => {
  const plan = (doc: unknown): PlanInput[] => [{ file: "plan.json", plan: doc }];
  it.each([
    ["a state instead of a plan", { format_version: "1.0", terraform_version: "1.10.5", values: { root_module: {} } }, "is `terraform show -json` of a state, not of a plan"],
    ["another major format version", { format_version: "2.0", terraform_version: "2.0.0", resource_changes: [] }, 'format_version: format_version "2.0": a plan format version 1.x'],
    ["an action this reader does not know", { format_version: "1.2", terraform_version: "1.99.0", resource_changes: [{ address: "a.b", mode: "managed", type: "a", name: "b", change: { actions: ["obliterate"] } }] }, 'resource_changes[0].change.actions[0]: unknown action "obliterate"'],
    ["a resource change without actions", { format_version: "1.2", terraform_version: "1.10.5", resource_changes: [{ address: "a.b", mode: "managed", type: "a", name: "b", change: {} }] }, "resource_changes[0].change.actions: required field missing: actions"],
    ["not an object", [1, 2], "is not a Terraform plan in JSON"],
  ])("refuse %s", (_, doc, message) => {
    expect(() => checkPlans(plan(doc), { today: TODAY })).toThrow(PlanInputError);
    expect(() => checkPlans(plan(doc), { today: TODAY })).toThrow(message);
  });

  it("accept properties a newer minor format adds and plans without resource changes", () => {
    const r = checkPlans(plan({ format_version: "1.9", terraform_version: "1.20.0", planned_values: {}, something_new: { x: 1 } }), { today: TODAY });
    expect(r.passed).toBe(true);
    expect(r.plans[0]).toMatchObject({ stack: "plan", formatVersion: "1.9", terraformVersion: "1.20.0", create: 0, unchanged: 0 });
  });
});
