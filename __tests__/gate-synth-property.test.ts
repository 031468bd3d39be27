import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { synthesizeLandingZones } from "../app/synth";
import { runValidateCommand } from "../cli/commands/validate";
import { ConfigError, loadLandingZones } from "../config/loader";
import { evaluateConfigPolicies, evaluateTerraformPolicies } from "../policies/gate";
import { asLandingZone, exampleRaw, type RawConfig } from "./policies-fixtures";

/**
 * One gate for everything synth would refuse: for generated configs (the example with many fields changed at
 * once, to values AWS accepts and values it rejects, one or two landing zones), `validate` exits 0 if and only
 * if synth succeeds. A config that validates but fails synth (a stack trace, a post-synth violation) is a gap in
 * the schema or the config rules; one that fails validate but synthesizes is a rule too strict.
 */

const MGMT = "111122223333";
const MEMBER = "444455556666";
const KEY = (region: string) => `arn:aws:kms:${region}:${MGMT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TEMPLATES = ["BACKUP_JOB_REPORT", "COPY_JOB_REPORT", "RESTORE_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT", "RESOURCE_COMPLIANCE_REPORT", "SCAN_JOB_REPORT"];

/** Usually unchanged: with ~25 fields, changing each one rarely still leaves some configs that pass. */
function sometimes<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

const fields = {
    templates: fc.subarray(TEMPLATES),
    formats: fc.constantFrom(["CSV"], ["JSON"], ["CSV", "JSON"], []),
    regions: fc.constantFrom(["*"], ["us-east-1"], ["us-east-1", "eu-west-1"], ["Frankfurt"], ["cn-north-1"], []),
    accounts: fc.constantFrom(["ROOT"], [MGMT], [MEMBER], ["12345"], []),
    ous: fc.constantFrom([], ["ou-ab12-cdef3456"], ["r-ab12"]),
    reportsAccount: fc.constantFrom(MGMT, MEMBER),
    reportsRegion: fc.constantFrom(undefined, "eu-west-1", "us-gov-west-1"),
    keyPrefixRoot: fc.constantFrom("", "reports", "/a/"),
    overridePrefix: fc.constantFrom(undefined, "BackupJob", "Copy", "BackupJob/nested"),
    kmsKeyArn: fc.constantFrom(null, KEY("us-east-1"), KEY("eu-west-1"), "not-an-arn"),
    slr: fc.boolean(),
    analytics: fc.boolean(),
    databaseName: fc.constantFrom("backup_reports", "Bad-Name"),
    workgroup: fc.constantFrom("backup-reports", "wg/1"),
    trail: fc.constantFrom("absent", "disabled", "organization", "account"),
    trailAccount: fc.constantFrom(undefined, MEMBER),
    trailName: fc.constantFrom(undefined, "acme-events", "bad!name"),
    tags: fc.constantFrom({}, { owner: "team" }, { "aws:owner": "x" }, { "cost center": "a/b" }),
    roleName: fc.constantFrom("OrganizationAccountAccessRole", "Deployer Role"),
    trustedAccess: fc.constantFrom([], ["backup.amazonaws.com"], ["backup.amazonaws.com", "cloudtrail.amazonaws.com"]),
    manageTrustedAccess: fc.boolean(),
    delegatedAdmin: fc.constantFrom(null, MGMT, MEMBER),
    globalSettings: fc.constantFrom(null, { isCrossAccountBackupEnabled: true, isMpaEnabled: false, isDelegatedAdministratorEnabled: true }),
    second: fc.constantFrom("none", "own names", "same names"),
};

const change = fc.record(
  Object.fromEntries(Object.entries(fields).map(([k, arb]) => [k, sometimes(arb as fc.Arbitrary<unknown>)])) as {
    [K in keyof typeof fields]: fc.Arbitrary<(typeof fields)[K] extends fc.Arbitrary<infer T> ? T | undefined : never>;
  },
);

type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

/** A change of the given fields only (the others undefined, as the arbitrary leaves them). */
function only(fieldsChanged: Partial<Change>): [Change] {
  return [Object.fromEntries(Object.keys(fields).map((k) => [k, fieldsChanged[k as keyof Change]])) as Change];
}

function apply(c: RawConfig, ch: Change): void {
  if (ch.templates !== undefined) c.reports.templates = ch.templates;
  if (ch.formats !== undefined) c.reports.formats = ch.formats;
  if (ch.regions !== undefined) c.reports.scope.regions = ch.regions;
  if (ch.accounts !== undefined) c.reports.scope.accounts = ch.accounts;
  if (ch.ous !== undefined) c.reports.scope.organizationalUnits = ch.ous;
  if (ch.reportsAccount !== undefined) c.reports.accountId = ch.reportsAccount;
  if (ch.reportsRegion !== undefined) c.reports.region = ch.reportsRegion;
  if (ch.keyPrefixRoot !== undefined) c.reports.keyPrefixRoot = ch.keyPrefixRoot;
  if (ch.overridePrefix !== undefined) c.reports.overrides = { COPY_JOB_REPORT: { keyPrefix: ch.overridePrefix } };
  if (ch.kmsKeyArn !== undefined) c.reports.kmsKeyArn = ch.kmsKeyArn;
  if (ch.slr !== undefined) c.reports.createServiceLinkedRole = ch.slr;
  if (ch.analytics !== undefined) c.analytics.enabled = ch.analytics;
  if (ch.databaseName !== undefined) c.analytics.databaseName = ch.databaseName;
  if (ch.workgroup !== undefined) c.analytics.workgroup = ch.workgroup;
  if (ch.trail === "absent") delete c.auditTrail;
  else if (ch.trail === "disabled") c.auditTrail.enabled = false;
  else if (ch.trail === "account") c.auditTrail.organizationTrail = false;
  if (c.auditTrail && ch.trailAccount !== undefined) c.auditTrail.accountId = ch.trailAccount;
  if (c.auditTrail && ch.trailName !== undefined) c.auditTrail.name = ch.trailName;
  if (ch.tags !== undefined) c.tags = ch.tags;
  if (ch.roleName !== undefined) c.deployment.roleName = ch.roleName;
  if (ch.trustedAccess !== undefined) c.organization.trustedAccess = ch.trustedAccess;
  if (ch.manageTrustedAccess !== undefined) c.organization.manageTrustedAccess = ch.manageTrustedAccess;
  if (ch.delegatedAdmin !== undefined) c.organization.delegatedAdminAccountId = ch.delegatedAdmin;
  if (ch.globalSettings !== undefined) c.organization.globalSettings = ch.globalSettings;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "gate-synth-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Synth as main.ts runs it: load (config errors), then gate, stacks, post-synth policies. */
async function synthSucceeds(files: string[], outdir: string): Promise<{ ok: boolean; why: string }> {
  try {
    const outcome = await synthesizeLandingZones(await loadLandingZones(files), {
      outdir,
      gates: { config: evaluateConfigPolicies, terraform: evaluateTerraformPolicies },
    });
    return outcome.ok ? { ok: true, why: "" } : { ok: false, why: `${outcome.stage}: ${outcome.violations.map((v) => `${v.id} ${v.path}`).join(", ")}` };
  } catch (err) {
    return { ok: false, why: err instanceof ConfigError ? "config error" : `threw ${String(err)}` };
  }
}

let run = 0;
test("validate exits 0 if and only if synth succeeds", async () => {
  const outcomes = { passed: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(change, async (ch) => {
      const dir = path.join(work, String(run++));
      const prod = exampleRaw();
      apply(prod, ch);
      const raws = [prod];
      if (ch.second !== undefined && ch.second !== "none") {
        const other = exampleRaw();
        asLandingZone("acme-dev")(other);
        if (ch.second === "same names") other.reports.bucketName = prod.reports.bucketName;
        apply(other, { ...ch, second: undefined });
        if (ch.second === "own names") other.analytics.databaseName = "acme_dev_reports";
        raws.push(other);
      }
      const files = raws.map((raw, i) => {
        const file = path.join(work, `${run}-${i}.yaml`);
        writeFileSync(file, stringify(raw));
        return file;
      });
      let report = "";
      const code = await runValidateCommand({ configs: files, format: "json" }, { stdout: (t) => (report += t), stderr: () => undefined });
      const synth = await synthSucceeds(files, path.join(dir, "cdktf.out"));
      if (synth.ok) outcomes.passed++;
      else outcomes.refused++;
      expect({ validate: code === 0 ? "passes" : `exit ${code}: ${report.slice(0, 300)}`, synth: synth.ok ? "succeeds" : synth.why }).toEqual(
        code === 0 ? { validate: "passes", synth: "succeeds" } : { validate: expect.stringMatching(/^exit [12]/), synth: synth.why },
      );
      expect(synth.ok).toBe(code === 0);
    }),
    {
      numRuns: Number(process.env.GATE_SYNTH_RUNS ?? 80),
      endOnFailure: true,
      // The issue's case first (synth used to throw "no report tables" where validate passed), then random ones.
      examples: [only({ templates: [] }), only({ formats: [] }), only({ trail: "absent", analytics: false })],
    },
  );
  // Not vacuous: both sides of the equivalence occur.
  expect(outcomes.passed).toBeGreaterThan(0);
  expect(outcomes.refused).toBeGreaterThan(0);
}, 240_000);
