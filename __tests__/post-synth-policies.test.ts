import { TerraformStack } from "cdktf";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { BackupReportPlan } from "@cdktf/provider-aws/lib/backup-report-plan";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { evaluateTerraformPolicies } from "../policies/gate";
import { loadNamedQueries } from "../queries/catalog";
import { buildLandingZoneStacks } from "../stacks/landing-zone";
import { cleanup, dummyBundleDir, synthConstruct, synthStack, testApp } from "./helpers/landing-zone";
import { mutatedLandingZone } from "./policies-fixtures";

/**
 * The post-synth policies on real cdktf output: a deliberately insecure stack must be reported rule by rule,
 * and the stacks the project builds from the example config must pass.
 */

afterAll(cleanup);

function insecureStack(stack: TerraformStack): void {
  new S3Bucket(stack, "bare-bucket", { bucket: "acme-bare-bucket" });
  const role = new IamRole(stack, "role", {
    name: "acme-fn",
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
  });
  new IamRolePolicy(stack, "role-policy", {
    role: role.id,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "Everything", Effect: "Allow", Action: ["glue:GetTable", "s3:*"], Resource: "*" }],
    }),
  });
  new LambdaFunction(stack, "fn", {
    functionName: "acme-fn",
    role: role.arn,
    handler: "index.handler",
    runtime: "nodejs22.x",
    filename: "fn.zip",
  });
  new AthenaWorkgroup(stack, "wg", { name: "acme-wg", configuration: { enforceWorkgroupConfiguration: false } });
  new BackupReportPlan(stack, "plan", {
    name: "acme_json_plan",
    reportDeliveryChannel: { s3BucketName: "acme-bare-bucket", formats: ["JSON"] },
    reportSetting: { reportTemplate: "BACKUP_JOB_REPORT", accounts: ["ROOT"], regions: ["*"] },
  });
}

describe("post-synth (Terraform) policies", () => {
  it("report every insecure resource of a synthesized stack", async () => {
    const tf = synthConstruct(insecureStack);
    const vs = await evaluateTerraformPolicies({ insecure: tf });
    const idFor = (type: string, logical: string) => {
      const ids = Object.keys(tf.resource?.[type] ?? {}).filter((k) => k.startsWith(logical));
      expect(ids).toHaveLength(1);
      return `resource.${type}.${ids[0]}`;
    };
    const bucket = idFor("aws_s3_bucket", "bare-bucket");
    expect(vs.map((v) => [v.id, v.path])).toEqual([
      ["BAI101", bucket],
      ["BAI102", bucket],
      ["BAI103", bucket],
      ["BAI105", idFor("aws_backup_report_plan", "plan")],
      ["BAI106", idFor("aws_iam_role_policy", "role-policy")],
      ["BAI107", idFor("aws_lambda_function", "fn")],
      ["BAI108", idFor("aws_athena_workgroup", "wg")],
      ["BAI109", idFor("aws_athena_workgroup", "wg")],
    ]);
    for (const v of vs) {
      expect(v.file).toBe("stacks/insecure/cdk.tf.json");
      expect(v.fix.length).toBeGreaterThan(10);
    }
    expect(vs.find((v) => v.id === "BAI106")?.message).toMatch(/^aws_iam_role_policy\.role-policy_[0-9A-F]+ allows wildcard actions \(statement Everything\)$/);
  });

  it("pass the stacks built from the example config", async () => {
    const app = testApp();
    const lz = mutatedLandingZone(() => undefined);
    const stacks = buildLandingZoneStacks(app, lz, { partitionerBundleDir: dummyBundleDir(), namedQueries: loadNamedQueries() });
    const synthesized: Record<string, unknown> = {};
    for (const stack of Object.values(stacks)) {
      if (stack) synthesized[stack.node.id] = synthStack(stack);
    }
    expect(Object.keys(synthesized).sort()).toEqual(["acme-prod-analytics", "acme-prod-audit-trail", "acme-prod-organization", "acme-prod-reporting"]);
    expect(await evaluateTerraformPolicies(synthesized)).toEqual([]);
  });

  it("pass an empty run", async () => {
    expect(await evaluateTerraformPolicies({})).toEqual([]);
  });
});
