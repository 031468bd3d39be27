import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { landingZoneJsonSchema } from "../config/json-schema";
import {
  ConfigError,
  EXAMPLE_CONFIG,
  configArgsFromEnv,
  loadLandingZones,
  locateField,
  parseFieldPath,
  resolveConfigPaths,
} from "../config/loader";

// Mutated per test: the tests' single-account landing zone (the embedded example is the Control Tower layout).
const FIXTURE = path.join(__dirname, "fixtures", "landing-zone.yaml");
const example = readFileSync(FIXTURE, "utf8");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "lz-config-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function loadError(paths: string[]): Promise<ConfigError> {
  try {
    await loadLandingZones(paths);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadLandingZones", () => {
  test("SCAN_JOB_REPORT is refused with the reason, at its line", async () => {
    const file = writeConfig(
      "scan.yaml",
      // The fixture lists no templates (default five): line 27 becomes the list.
      example.replace(/^  memberFrameworks: .*$/m, "  templates: [SCAN_JOB_REPORT, BACKUP_JOB_REPORT]"),
    );
    const err = await loadError([file]);
    expect(err.issues[0]).toMatchObject({ file, path: "reports.templates[0]", line: 27 });
    expect(err.issues[0].message).toBe(
      "refused: the Terraform AWS provider rejects SCAN_JOB_REPORT in report_template, and its column list contradicts " +
        'the documented malware-scan sample; remove it from reports.templates until both are fixed; got "SCAN_JOB_REPORT"',
    );
  });

  test("no argument loads the embedded example", async () => {
    const [lz] = await loadLandingZones([]);
    expect(lz.name).toBe("acme-prod");
    expect(lz.sourceFile).toBe(EXAMPLE_CONFIG);
    expect(lz.reports.plans.map((p) => p.template)).toEqual([
      "BACKUP_JOB_REPORT",
      "COPY_JOB_REPORT",
      "RESTORE_JOB_REPORT",
      "CONTROL_COMPLIANCE_REPORT",
      "RESOURCE_COMPLIANCE_REPORT",
    ]);
    expect(lz.reports.plans[0]).toMatchObject({
      name: "acme_prod_backup_job_report",
      keyPrefix: "BackupJob",
      formats: ["CSV"],
      scope: { accounts: [], organizationalUnits: ["ou-ab12-workload1", "ou-ab12-security1"], regions: ["us-east-1", "eu-west-1", "eu-central-1"] },
      organizationScope: true,
      crossAccount: true,
    });
    // Control Tower: reports in the audit account, the trail's buckets in the log-archive account.
    expect(lz.buckets.map((b) => [b.role, b.name, b.accountId, b.logTarget])).toEqual([
      ["reports", "acme-backup-reports-222233334444", "222233334444", "acme-backup-reports-logs-222233334444"],
      ["reportsAccessLog", "acme-backup-reports-logs-222233334444", "222233334444", null],
      ["athenaResults", "acme-backup-reports-222233334444-athena", "222233334444", "acme-backup-reports-logs-222233334444"],
      ["trail", "acme-backup-trail-333344445555", "333344445555", "acme-backup-trail-logs-333344445555"],
      ["trailAccessLog", "acme-backup-trail-logs-333344445555", "333344445555", null],
    ]);
    expect(lz.auditTrail).toMatchObject({ create: true, accountId: "111122223333", bucketAccountId: "333344445555", organizationTrail: true });
    expect(lz.reports.memberFrameworks).toEqual({
      stackSetName: "acme-prod-backup-frameworks",
      administratorAccountId: "111122223333",
      callAs: "SELF",
      organizationalUnits: ["ou-ab12-workload1", "ou-ab12-security1"],
      targetsRoot: false,
      regions: ["us-east-1", "eu-west-1", "eu-central-1"],
      // The defaults: the StackSet's own preferences, and timeouts sized for 100 accounts.
      operationPreferences: { maxConcurrentPercentage: 25, failureTolerancePercentage: 10 },
      expectedAccounts: 100,
    });
  });

  test("an existing trail contributes its bucket only: no trail and no bucket of this landing zone", async () => {
    const file = writeConfig(
      "ct.yaml",
      example.replace(
        /auditTrail:\n[\s\S]*$/,
        "auditTrail:\n  existingTrail:\n    bucketName: aws-controltower-logs-333344445555-us-east-1\n    bucketAccountId: \"333344445555\"\n    keyPrefix: /o-abc123def4/\n",
      ),
    );
    const [lz] = await loadLandingZones([file]);
    expect(lz.auditTrail).toMatchObject({
      create: false,
      bucketName: "aws-controltower-logs-333344445555-us-east-1",
      bucketAccountId: "333344445555",
      bucketRegion: "us-east-1",
      accessLogBucketName: null,
      keyPrefix: "o-abc123def4",
      ignoredFields: [],
    });
    expect(lz.buckets.map((b) => b.role)).toEqual(["reports", "reportsAccessLog", "athenaResults"]);
  });

  test("a folder yields every YAML file in name order; two landing zones load side by side", async () => {
    writeConfig("b.yaml", example.replace("name: acme-prod", "name: acme-dev"));
    writeConfig("a.yml", example);
    writeConfig("notes.txt", "ignored");
    const lzs = await loadLandingZones([dir]);
    expect(lzs.map((lz) => lz.name)).toEqual(["acme-prod", "acme-dev"]);
  });

  test("per-template overrides win and record where each value came from", async () => {
    const file = writeConfig(
      "o.yaml",
      example.replace(
        "  formats: [CSV]\n",
        "  formats: [CSV]\n  overrides:\n    COPY_JOB_REPORT:\n      name: copy_jobs\n      formats: [JSON]\n      scope: { accounts: [\"111122223333\"], regions: [us-east-1] }\n",
      ),
    );
    const [lz] = await loadLandingZones([file]);
    const copy = lz.reports.plans.find((p) => p.template === "COPY_JOB_REPORT");
    expect(copy).toMatchObject({
      name: "copy_jobs",
      formats: ["JSON"],
      scope: { accounts: ["111122223333"], organizationalUnits: [], regions: ["us-east-1"] },
      organizationScope: false,
      crossAccount: false,
      fieldPaths: {
        name: "reports.overrides.COPY_JOB_REPORT.name",
        formats: "reports.overrides.COPY_JOB_REPORT.formats",
        scope: "reports.overrides.COPY_JOB_REPORT.scope",
      },
    });
    expect(lz.reports.plans[0].fieldPaths.formats).toBe("reports.formats");
  });

  test("a schema error names the file, line, field path and what is expected", async () => {
    const file = writeConfig("bad.yaml", example.replace('managementAccountId: "111122223333"', "managementAccountId: 11112222"));
    const err = await loadError([file]);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ file, path: "managementAccountId", line: 4 });
    expect(err.message).toContain(`${file}:4:1: managementAccountId: `);
    expect(err.message).toContain('expected text, got the number 11112222: quote the value in YAML, e.g. "011122223333"');
  });

  test("unknown fields are reported with the fix", async () => {
    const file = writeConfig("typo.yaml", example.replace("  bucketName: acme-backup-reports", "  bucketNmae: x\n  bucketName: acme-backup-reports"));
    const err = await loadError([file]);
    expect(err.issues).toEqual([
      {
        file,
        path: "reports.bucketNmae",
        line: 24,
        column: 3,
        message:
          'unknown field "bucketNmae": did you mean "bucketName"? (fields here: accountId, region, bucketName, accessLogBucketName, ' +
          "createServiceLinkedRole, keyPrefixRoot, templates, scope, formats, overrides, frameworks, memberFrameworks, kmsKeyArn, retention)",
      },
    ]);
  });

  test("every broken file is reported in one run", async () => {
    const a = writeConfig("a.yaml", "name: [unclosed\n");
    const b = writeConfig("b.yaml", example.replace("homeRegion: us-east-1", "homeRegion: Frankfurt"));
    const err = await loadError([a, b]);
    expect(err.issues.map((i) => i.file)).toEqual([a, b]);
    expect(err.issues[0].message).toMatch(/^YAML syntax error/);
    expect(err.issues[1]).toMatchObject({ path: "homeRegion", line: 6 });
    expect(err.issues[1].message).toMatch(/an AWS Region name such as us-east-1/);
  });

  test("duplicate landing-zone names are refused (stack names would collide)", async () => {
    const a = writeConfig("a.yaml", example);
    const b = writeConfig("b.yaml", example);
    const err = await loadError([a, b]);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ file: b, path: "name", line: 3 });
    expect(err.issues[0].message).toContain(`already used by ${a}`);
  });

  test("missing files, empty folders and non-mapping documents are clear errors", async () => {
    await expect(resolveConfigPaths([path.join(dir, "nope.yaml")])).rejects.toThrow(/no such file or folder/);
    mkdirSync(path.join(dir, "empty"));
    await expect(resolveConfigPaths([path.join(dir, "empty")])).rejects.toThrow(/holds no \.yaml or \.yml/);
    const list = writeConfig("list.yaml", "- a\n- b\n");
    expect((await loadError([list])).message).toContain("expected a YAML mapping");
  });
});

describe("helpers", () => {
  test("BACKUP_AUDIT_CONFIG lists files or folders separated by commas", () => {
    expect(configArgsFromEnv({ BACKUP_AUDIT_CONFIG: " a.yaml, lz/ ,," })).toEqual(["a.yaml", "lz/"]);
    expect(configArgsFromEnv({})).toEqual([]);
    expect(() => configArgsFromEnv({ BACKUP_AUDIT_CONFIG: " , " })).toThrow(
      "$BACKUP_AUDIT_CONFIG: is set but names no config file or folder: set it to comma-separated paths, or unset it to use the example",
    );
    expect(() => configArgsFromEnv({ BACKUP_AUDIT_CONFIG: "" })).toThrow(ConfigError);
  });

  test("field paths parse dots and indices", () => {
    expect(parseFieldPath("reports.scope.regions[2]")).toEqual(["reports", "scope", "regions", 2]);
    expect(parseFieldPath("reports.overrides.COPY_JOB_REPORT.formats")).toEqual(["reports", "overrides", "COPY_JOB_REPORT", "formats"]);
  });

  test("locateField finds a field, or the nearest ancestor of a defaulted one", () => {
    expect(locateField(FIXTURE, "reports.formats")).toEqual({ line: 32, column: 3 });
    expect(locateField(FIXTURE, "reports.scope.regions[0]")).toEqual({ line: 31, column: 15 });
    // Not in the file: points at `reports:` so the user knows where to add it.
    expect(locateField(FIXTURE, "reports.overrides.BACKUP_JOB_REPORT.formats")).toEqual({ line: 22, column: 1 });
    expect(locateField(path.join(dir, "missing.yaml"), "name")).toBeNull();
  });

  test("the committed JSON schema is the one the zod schema produces", () => {
    const committed = JSON.parse(readFileSync(path.join(path.dirname(EXAMPLE_CONFIG), "landing-zone.schema.json"), "utf8"));
    expect(committed).toEqual(landingZoneJsonSchema());
    expect(committed.required).toEqual(["name", "managementAccountId", "organizationId", "homeRegion", "reports"]);
  });
});
