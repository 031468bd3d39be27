import { TerraformStack } from "cdktf";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { BackupReportPlan } from "@cdktf/provider-aws/lib/backup-report-plan";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { evaluateTerraformPolicies } from "../policies/gate";
import { loadNamedQueries } from "../queries/catalog";
import { buildLandingZoneStacks } from "../stacks/landing-zone";
import { allStackNames, cleanup, dummyPartitionerPackage, synthConstruct, synthStack, testApp } from "./helpers/landing-zone";
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
  new Cloudtrail(stack, "trail", { name: "acme-trail", s3BucketName: "acme-trail-bucket", isMultiRegionTrail: true });
  new SqsQueue(stack, "queue", { name: "acme-queue" });
  new CloudwatchLogGroup(stack, "logs", { name: "/aws/lambda/acme-fn" });
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
      ["BAI110", idFor("aws_cloudtrail", "trail")],
      ["BAI111", idFor("aws_sqs_queue", "queue")],
      ["BAI112", idFor("aws_cloudwatch_log_group", "logs")],
      ["BAI119", idFor("aws_athena_workgroup", "wg")],
      ["BAI132", idFor("aws_lambda_function", "fn")],
    ]);
    for (const v of vs) {
      expect(v.file).toBe("stacks/insecure/cdk.tf.json");
      expect(v.fix.length).toBeGreaterThan(10);
    }
    expect(vs.find((v) => v.id === "BAI106")?.message).toBe("aws_iam_role_policy.role-policy allows wildcard actions (statement Everything)");
  });

  it("report unwatched and doubly fed dead-letter queues, silent alarms and topics alarms cannot publish to", async () => {
    const tf = synthConstruct((stack) => {
      const dlq = new SqsQueue(stack, "dlq", { name: "acme-dlq", sqsManagedSseEnabled: true });
      const fn = new LambdaFunction(stack, "fn", {
        functionName: "acme-fn",
        role: "arn:aws:iam::111122223333:role/acme-fn",
        handler: "index.handler",
        runtime: "nodejs22.x",
        filename: "fn.zip",
        deadLetterConfig: { targetArn: dlq.arn },
      });
      new LambdaFunctionEventInvokeConfig(stack, "invoke", {
        functionName: fn.functionName,
        destinationConfig: { onFailure: { destination: dlq.arn } },
      });
      const managed = new SnsTopic(stack, "managed-key-topic", { name: "acme-alarms", kmsMasterKeyId: "alias/aws/sns" });
      new SnsTopic(stack, "plain-topic", { name: "acme-plain" });
      new CloudwatchMetricAlarm(stack, "errors", {
        alarmName: "acme-fn-errors",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: fn.functionName },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        alarmActions: [managed.arn],
      });
      new CloudwatchMetricAlarm(stack, "silent", {
        alarmName: "acme-silent",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: dlq.name },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    });
    const id = (type: string, logical: string) => `resource.${type}.${Object.keys(tf.resource?.[type] ?? {}).find((k) => k.startsWith(logical))}`;
    const vs = await evaluateTerraformPolicies({ paths: tf });
    expect(vs.map((v) => [v.id, v.path])).toEqual([
      ["BAI130", id("aws_sqs_queue", "dlq")],
      ["BAI131", id("aws_sqs_queue", "dlq")],
      ["BAI133", id("aws_cloudwatch_metric_alarm", "silent")],
      ["BAI134", id("aws_sns_topic", "plain-topic")],
      ["BAI135", id("aws_sns_topic", "managed-key-topic")],
    ]);
    expect(vs[1].message).toBe(
      "queue dlq is the target of 2 failure paths (dead_letter_config of aws_lambda_function.fn, on-failure destination of " +
        "aws_lambda_function_event_invoke_config.invoke): each failure may arrive more than once and the paths cannot be told apart",
    );
  });

  it("refuse the real trail bucket and stack-set instances once their narrowing is taken out (BAI137, BAI138)", async () => {
    const app = testApp();
    // The trail's buckets in a log-archive account: the analytics account reads them across accounts.
    const lz = mutatedLandingZone((c) => (c.auditTrail.bucketAccountId = "333344445555"));
    const stacks = buildLandingZoneStacks(app, lz, { partitionerPackage: dummyPartitionerPackage(), namedQueries: loadNamedQueries() });
    type Tf = { resource: Record<string, Record<string, Record<string, unknown>>> };
    const bucket = synthStack(stacks.trailBucket!) as Tf;
    const members = synthStack(stacks.memberFrameworks!) as Tf;
    expect(await evaluateTerraformPolicies({ "acme-prod-trail-bucket": bucket, "acme-prod-member-frameworks": members })).toEqual([]);

    // The account-wide read grant as it was before: no condition.
    const [policyId, bucketPolicy] = Object.entries(bucket.resource.aws_s3_bucket_policy).find(([, p]) => String(p.bucket).startsWith("acme-backup-trail-1"))!;
    const doc = JSON.parse(bucketPolicy.policy as string) as { Statement: Array<Record<string, unknown>> };
    for (const st of doc.Statement) if (String(st.Sid).startsWith("TrailLogReaders")) delete st.Condition;
    bucketPolicy.policy = JSON.stringify(doc);
    // The instance as it was before: no operation preferences, the provider's default timeouts.
    const [instanceId, instance] = Object.entries(members.resource.aws_cloudformation_stack_set_instance)[0];
    delete instance.operation_preferences;
    delete instance.timeouts;

    const vs = await evaluateTerraformPolicies({ "acme-prod-trail-bucket": bucket, "acme-prod-member-frameworks": members });
    expect(vs.map((v) => [v.id, v.file, v.path])).toEqual([
      ["BAI138", "stacks/acme-prod-member-frameworks/cdk.tf.json", `resource.aws_cloudformation_stack_set_instance.${instanceId}`],
      ["BAI137", "stacks/acme-prod-trail-bucket/cdk.tf.json", `resource.aws_s3_bucket_policy.${policyId}`],
    ]);
    expect(vs[1].message).toContain("lets arn:aws:iam::111122223333:root read the trail's log files (statement TrailLogReadersGet) without a condition");
  });

  it("pass the stacks built from the example config", async () => {
    const app = testApp();
    const lz = mutatedLandingZone(() => undefined);
    const stacks = buildLandingZoneStacks(app, lz, { partitionerPackage: dummyPartitionerPackage(), namedQueries: loadNamedQueries() });
    const synthesized: Record<string, unknown> = {};
    for (const stack of Object.values(stacks)) {
      if (stack) synthesized[stack.node.id] = synthStack(stack);
    }
    expect(Object.keys(synthesized).sort()).toEqual(allStackNames("acme-prod"));
    expect(await evaluateTerraformPolicies(synthesized)).toEqual([]);

    // Not vacuous: the rules see the real shapes. Count what they checked, then break the real output.
    type Tf = { resource: Record<string, Record<string, Record<string, unknown>>> };
    // The organization stack may hold only data sources and checks.
    const all = Object.values(synthesized) as Tf[];
    const count = (type: string) => all.reduce((n, tf) => n + Object.keys(tf.resource?.[type] ?? {}).length, 0);
    expect(count("aws_s3_bucket")).toBe(5);
    expect(count("aws_backup_report_plan")).toBe(5);
    expect(count("aws_lambda_function")).toBe(1);
    expect(count("aws_athena_workgroup")).toBe(1);
    expect(count("aws_cloudtrail")).toBe(1);
    expect(count("aws_sqs_queue")).toBe(2);
    expect(count("aws_cloudwatch_log_group")).toBe(1);
    expect(count("aws_cloudwatch_metric_alarm")).toBe(6);
    expect(count("aws_sns_topic")).toBe(1);

    const analytics = structuredClone(synthesized["acme-prod-analytics"]) as Tf;
    const [fnId] = Object.keys(analytics.resource.aws_lambda_function);
    delete analytics.resource.aws_lambda_function_event_invoke_config;
    delete analytics.resource.aws_cloudwatch_metric_alarm;
    const reporting = structuredClone(synthesized["acme-prod-reporting"]) as Tf;
    delete reporting.resource.aws_s3_bucket_server_side_encryption_configuration;
    const broken = await evaluateTerraformPolicies({ ...synthesized, "acme-prod-analytics": analytics, "acme-prod-reporting": reporting });
    expect(broken.map((v) => [v.id, v.file])).toEqual([
      ["BAI107", "stacks/acme-prod-analytics/cdk.tf.json"],
      ["BAI130", "stacks/acme-prod-analytics/cdk.tf.json"],
      ["BAI132", "stacks/acme-prod-analytics/cdk.tf.json"],
      ["BAI101", "stacks/acme-prod-reporting/cdk.tf.json"],
      ["BAI101", "stacks/acme-prod-reporting/cdk.tf.json"],
    ]);
    expect(broken[0].path).toBe(`resource.aws_lambda_function.${fnId}`);
    // Without the invoke config only the EventBridge target's queue is still a dead-letter queue.
    const eventDlq = Object.entries(analytics.resource.aws_sqs_queue).find(([, q]) => String(q.name).endsWith("-events-dlq"))![0];
    expect(broken[1].path).toBe(`resource.aws_sqs_queue.${eventDlq}`);
    expect(broken[2].path).toBe(`resource.aws_lambda_function.${fnId}`);

    // The normaliser's role as synthesized, widened three ways: each is caught by its own rule.
    const widened = structuredClone(synthesized["acme-prod-analytics"]) as Tf;
    const [policyId] = Object.keys(widened.resource.aws_iam_role_policy);
    const doc = JSON.parse(widened.resource.aws_iam_role_policy[policyId].policy as string) as { Statement: Array<Record<string, unknown>> };
    doc.Statement.push(
      { Sid: "Wide", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::acme-backup-reports-111122223333/*" },
      { Sid: "Glue", Effect: "Allow", Action: "glue:BatchCreatePartition", Resource: "arn:aws:glue:us-east-1:111122223333:catalog" },
    );
    widened.resource.aws_iam_role_policy[policyId].policy = JSON.stringify(doc);
    const [wgId] = Object.keys(widened.resource.aws_athena_workgroup);
    delete (widened.resource.aws_athena_workgroup[wgId].configuration as Record<string, unknown>).engine_version;
    const wide = await evaluateTerraformPolicies({ ...synthesized, "acme-prod-analytics": widened });
    expect(wide.map((v) => v.id).sort()).toEqual(["BAI113", "BAI113", "BAI115", "BAI117", "BAI119"]);
  });

  // SecureBucket refuses a bucket that logs into itself, so the loop is built from raw resources: otherwise
  // compliant (encrypted, public access blocked, logging configured), only BAI104 may fire.
  it.each([
    ["by reference", (b: S3Bucket) => b.bucket],
    ["by literal name", () => "acme-loop-bucket"],
  ])("BAI104: a bucket whose access logs target itself (%s)", async (_how, target) => {
    const tf = synthConstruct((stack) => {
      const bucket = new S3Bucket(stack, "loop-bucket", { bucket: "acme-loop-bucket" });
      new S3BucketServerSideEncryptionConfigurationA(stack, "loop-sse", {
        bucket: bucket.id,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      });
      new S3BucketPublicAccessBlock(stack, "loop-pab", {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      new S3BucketLoggingA(stack, "loop-logging", { bucket: bucket.id, targetBucket: target(bucket), targetPrefix: "logs/" });
    });
    const [id] = Object.keys(tf.resource?.aws_s3_bucket ?? {});
    const vs = await evaluateTerraformPolicies({ loop: tf });
    expect(vs.map((v) => [v.id, v.path, v.file])).toEqual([["BAI104", `resource.aws_s3_bucket.${id}`, "stacks/loop/cdk.tf.json"]]);
    expect(vs[0].message).toBe(`S3 bucket ${id} delivers its server access logs to itself, an endless loop of log objects`);
    expect(vs[0].fix).toContain("separate log bucket");
  });

  it("pass an empty run", async () => {
    expect(await evaluateTerraformPolicies({})).toEqual([]);
  });
});
