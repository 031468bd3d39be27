import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { runValidateCommand } from "../cli/commands/validate";
import { ConfigError, EXAMPLE_CONFIG, loadLandingZones, type ConfigIssue } from "../config/loader";

/**
 * Values that pass a plain type check but that AWS rejects when Terraform applies them: the schema refuses each
 * at its field, with what AWS accepts and the value echoed. (Glue database and report plan names are Rego rules
 * BAI006/BAI007; Regions against the partition and the KMS key's Region are BAI045/BAI046.)
 */

type Raw = Record<string, any>;
const exampleRaw = (): Raw => parse(readFileSync(EXAMPLE_CONFIG, "utf8")) as Raw;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "aws-names-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(raw: Raw): string {
  const file = path.join(dir, "lz.yaml");
  writeFileSync(file, stringify(raw));
  return file;
}

async function issuesOf(mutate: (c: Raw) => void): Promise<ConfigIssue[]> {
  const raw = exampleRaw();
  mutate(raw);
  try {
    await loadLandingZones([write(raw)]);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const refused: Array<[string, (c: Raw) => void, string, string]> = [
  ["a tag key with the aws: prefix", (c) => (c.tags = { "aws:owner": "me" }), "tags.aws:owner", 'tag keys starting with aws: are reserved for AWS: choose another prefix; got the key "aws:owner"'],
  ["a tag key of 129 characters", (c) => (c.tags = { ["k".repeat(129)]: "v" }), `tags.${"k".repeat(129)}`, "a tag key has at most 128 characters"],
  ["a tag value with !", (c) => (c.tags = { owner: "team!" }), "tags.owner", 'a tag value may contain only letters, digits, spaces and _ . : / = + - @; got "team!"'],
  ["a tag value of 257 characters", (c) => (c.tags = { owner: "v".repeat(257) }), "tags.owner", "a tag value has at most 256 characters"],
  ["50 tags (the landing-zone tag makes 51)", (c) => (c.tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]))), "tags", "at most 49 tags: AWS allows 50 per resource"],
  ["a control scope tag key with aws:", (c) => (c.reports.frameworks = [{ name: "f", controls: [{ name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", scope: { tags: { "aws:x": "y" } } }] }]), "reports.frameworks[0].controls[0].scope.tags.aws:x", "tag keys starting with aws: are reserved"],
  ["a role name with spaces", (c) => (c.deployment.roleName = "Org Access Role"), "deployment.roleName", 'an IAM role name: 1-64 letters, digits and + = , . @ _ - (no spaces, no path); got "Org Access Role"'],
  ["a role name of 65 characters", (c) => (c.deployment.roleName = "r".repeat(65)), "deployment.roleName", "an IAM role name: 1-64"],
  ["a trail name with !", (c) => (c.auditTrail.name = "backup!events"), "auditTrail.name", 'a CloudTrail trail name: 3-128 ASCII letters, digits, . _ -, starting and ending with a letter or digit; got "backup!events"'],
  ["a trail name with /", (c) => (c.auditTrail.name = "backup/events"), "auditTrail.name", "a CloudTrail trail name: 3-128"],
  ["a trail name with adjacent punctuation", (c) => (c.auditTrail.name = "backup-_events"), "auditTrail.name", "a CloudTrail trail name has no adjacent . _ or - (e.g. my-_trail)"],
  ["a trail name like an IP address", (c) => (c.auditTrail.name = "192.168.5.4"), "auditTrail.name", "a CloudTrail trail name cannot look like an IP address"],
  ["kmsKeyArn: not-an-arn", (c) => (c.reports.kmsKeyArn = "not-an-arn"), "reports.kmsKeyArn", 'a KMS key ARN such as arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias or key id); got "not-an-arn"'],
  ["a KMS alias ARN", (c) => (c.reports.kmsKeyArn = "arn:aws:kms:us-east-1:111122223333:alias/reports"), "reports.kmsKeyArn", "a KMS key ARN such as"],
  ["a workgroup with /", (c) => (c.analytics.workgroup = "backup/reports"), "analytics.workgroup", 'an Athena workgroup name: 1-128 letters, digits and . _ -; got "backup/reports"'],
  ["a workgroup with !", (c) => (c.analytics.workgroup = "reports!"), "analytics.workgroup", "an Athena workgroup name"],
  ["a DynamoDB lock table with spaces", (c) => (c.deployment.backend.s3.dynamodbTable = "tf locks"), "deployment.backend.s3.dynamodbTable", "a DynamoDB table name: 3-255"],
  ["no report template", (c) => (c.reports.templates = []), "reports.templates", "list at least one report template (or leave templates out for the default five)"],
];

describe("values AWS rejects at apply time are schema errors at their field", () => {
  it.each(refused)("%s", async (_what, mutate, field, message) => {
    const issues = await issuesOf(mutate);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe(field);
    expect(issues[0].message).toContain(message);
    expect(issues[0].line).not.toBeNull();
  });

  it("accepts what AWS accepts", async () => {
    const issues = await issuesOf((c) => {
      c.tags = { "cost-center": "CC 12/34", "team:owner": "plateforme-équipe", "e@mail": "a+b=c", empty: "" };
      c.deployment.roleName = "Org.Access_Role+=,@-1";
      c.deployment.backend.s3.dynamodbTable = "tf-locks.v1";
      c.auditTrail.name = "Backup.Events_2026";
      c.reports.kmsKeyArn = KEY;
      c.analytics.workgroup = "Backup.Reports_1-x";
    });
    expect(issues).toEqual([]);
    const mrk = await issuesOf((c) => (c.reports.kmsKeyArn = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"));
    expect(mrk).toEqual([]);
  });

  it("reports.templates: [] fails validate (exit 2), not synth", async () => {
    const raw = exampleRaw();
    raw.reports.templates = [];
    let stderr = "";
    const code = await runValidateCommand({ configs: [write(raw)] }, { stdout: () => undefined, stderr: (t) => (stderr += t) });
    expect(code).toBe(2);
    expect(stderr).toMatch(/lz\.yaml:\d+:\d+: reports\.templates: list at least one report template/);
  });
});
