import path from "node:path";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { runValidateCommand } from "../cli/commands/validate";
import { normalizeLandingZone } from "../config/normalize";
import { landingZoneConfigSchema, type LandingZoneConfigInput } from "../config/schema";
import { evaluateTerraformPolicies } from "../policies/gate";
import { buildLandingZoneStacks } from "../stacks/landing-zone";
import {
  cleanup,
  dummyJobAlertsPackage,
  dummyPartitionerPackage,
  onlyResource,
  resourceList,
  statementBySid,
  statementsOf,
  synthStack,
  testApp,
  type TerraformJson,
} from "./helpers/landing-zone";

/** Customer-managed keys: created with rotation and exact key policies, checked after synth, printed for named keys. */

afterAll(cleanup);

const CMK_FILE = path.resolve(__dirname, "..", "examples", "customer-managed-keys.yaml");
const cmk = (): LandingZoneConfigInput => parse(readFileSync(CMK_FILE, "utf8")) as LandingZoneConfigInput;
const SLR = "arn:aws:iam::510000000002:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports";

function synth(config: LandingZoneConfigInput): Record<string, TerraformJson> {
  const lz = normalizeLandingZone(landingZoneConfigSchema.parse(config), CMK_FILE);
  const stacks = buildLandingZoneStacks(testApp(), lz, { partitionerPackage: dummyPartitionerPackage(), jobAlertsPackage: dummyJobAlertsPackage(), namedQueries: [] });
  const out: Record<string, TerraformJson> = {};
  for (const s of Object.values(stacks)) if (s) out[s.node.id] = synthStack(s);
  return out;
}

describe("created keys", () => {
  // The trail key too: the example names an existing one, remove it.
  const stacks = synth({ ...cmk(), auditTrail: { ...cmk().auditTrail!, kmsKeyArn: null } });
  const reporting = stacks["secure-prod-reporting"];

  it("encrypt the reports bucket with a rotating key whose policy names exactly its users, after the plans exist", () => {
    const key = onlyResource(reporting, "aws_kms_key");
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(onlyResource(reporting, "aws_kms_alias").name).toBe("alias/secure-prod-backup-reports");
    const sse = resourceList(reporting, "aws_s3_bucket_server_side_encryption_configuration").find(
      (e) => e.bucket === "secure-backup-reports-510000000002",
    )!;
    const keyId = Object.keys(reporting.resource!.aws_kms_key)[0];
    expect(sse.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: `\${aws_kms_key.${keyId}.arn}` }, bucket_key_enabled: true },
    ]);
    const policy = onlyResource(reporting, "aws_kms_key_policy");
    expect(statementsOf(policy.policy).map((s) => s.Sid)).toEqual([
      "KeyAdministration",
      "BackupReportsDelivery",
      "ReportPartitioner",
      "ReportReaders",
    ]);
    expect(statementBySid(policy.policy, "BackupReportsDelivery")).toEqual({
      Sid: "BackupReportsDelivery",
      Effect: "Allow",
      Principal: { AWS: SLR },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
    });
    expect(statementBySid(policy.policy, "ReportPartitioner").Condition).toEqual({
      ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::510000000002:role/secure-prod-report-partitioner-role" },
    });
    // The administration statement never lets the account use the key for data.
    expect(statementBySid(policy.policy, "KeyAdministration").Action).not.toContain("kms:Decrypt");
    // KMS refuses a policy naming a role that does not exist: it waits for the plans that create the role.
    const planIds = Object.keys(reporting.resource!.aws_backup_report_plan);
    expect([...(policy.depends_on as string[])].sort()).toEqual(planIds.map((id) => `aws_backup_report_plan.${id}`).sort());
  });

  it("let the normaliser use the reports key, which the analytics stack knows by its alias only", () => {
    // The partitioner's (the analytics stack also holds the job-alert formatter's role, example alerts.jobs).
    const role = resourceList(stacks["secure-prod-analytics"], "aws_iam_role_policy").find((r) => String(r.role).includes("partitioner_role"))!;
    expect(statementBySid(role.policy, "ReportsBucketKeyByAlias")).toEqual({
      Sid: "ReportsBucketKeyByAlias",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "arn:aws:kms:eu-central-1:510000000002:key/*",
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/secure-prod-backup-reports" } },
    });
  });

  it("encrypt the Athena results and the trail; the trail key admits this trail by aws:SourceArn", () => {
    const analytics = stacks["secure-prod-analytics"];
    const wg = onlyResource(analytics, "aws_athena_workgroup") as { configuration: { result_configuration: { encryption_configuration: unknown } } };
    // The analytics stack also holds the alarm topic's key (always created): pick the results key.
    const keyId = Object.entries(analytics.resource!.aws_kms_key).find(([, k]) => String(k.description).startsWith("Athena query results"))![0];
    expect(wg.configuration.result_configuration.encryption_configuration).toEqual({
      encryption_option: "SSE_KMS",
      kms_key_arn: `\${aws_kms_key.${keyId}.arn}`,
    });
    const trailStack = stacks["secure-prod-audit-trail"];
    const trailKeyId = Object.keys(trailStack.resource!.aws_kms_key)[0];
    expect(onlyResource(trailStack, "aws_cloudtrail").kms_key_id).toBe(`\${aws_kms_key.${trailKeyId}.arn}`);
    const policy = onlyResource(trailStack, "aws_kms_key_policy").policy;
    expect(statementBySid(policy, "CloudTrailEncrypt").Condition).toEqual({
      StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:eu-central-1:510000000001:trail/secure-prod-backup-events" },
      StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:510000000001:trail/*" },
    });
    expect(statementBySid(policy, "TrailLogReaders").Principal).toEqual({
      AWS: ["arn:aws:iam::510000000002:root", "arn:aws:iam::510000000003:root"],
    });
  });

  it("pass the post-synth key checks, which catch a reports key without the service-linked role's grant", async () => {
    expect(await evaluateTerraformPolicies(stacks)).toEqual([]);
    const broken = structuredClone(reporting);
    const kp = Object.values(broken.resource!.aws_kms_key_policy)[0];
    const doc = JSON.parse(kp.policy as string) as { Statement: Array<{ Sid: string }> };
    doc.Statement = doc.Statement.filter((s) => s.Sid !== "BackupReportsDelivery");
    kp.policy = JSON.stringify(doc);
    const vs = await evaluateTerraformPolicies({ "secure-prod-reporting": broken });
    expect(vs.map((v) => v.id)).toEqual(["BAI123", "BAI123"]);
    expect(vs[0].message).toContain("does not grant kms:Decrypt to AWSServiceRoleForBackupReports");
  });
});

describe("validate", () => {
  it("prints the statements a key named by ARN and an existing trail's bucket need", async () => {
    let stdout = "";
    const io = { stdout: (t: string) => (stdout += t), stderr: () => undefined };
    expect(await runValidateCommand({ configs: [CMK_FILE] }, io)).toBe(0);
    expect(stdout).toContain(
      "note: [secure-prod] auditTrail.kmsKeyArn: the policy of key arn:aws:kms:eu-central-1:510000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab (trail log files) must contain these statements:",
    );
    const json = stdout.slice(stdout.indexOf(":\n[") + 2);
    expect((JSON.parse(json) as Array<{ Sid: string }>).map((s) => s.Sid)).toEqual([
      "CloudTrailEncrypt",
      "CloudTrailDescribeKey",
      "TrailLogReaders",
    ]);

    stdout = "";
    const customerA = path.resolve(__dirname, "..", "examples", "service-provider", "customer-a.yaml");
    expect(await runValidateCommand({ configs: [customerA] }, io)).toBe(0);
    expect(stdout).toContain("note: [cust-a] auditTrail.existingTrail.bucketName: the policy of bucket aws-controltower-logs-210000000003-eu-west-1");
    expect(stdout).toContain('"Resource": "arn:aws:s3:::aws-controltower-logs-210000000003-eu-west-1/o-custa00001/AWSLogs/*"');
  });
});
