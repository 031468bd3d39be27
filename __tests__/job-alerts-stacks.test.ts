import type { TerraformStack } from "cdktf";
import { jobEventPattern } from "../alerts/job-event-pattern";
import { memberAlertTemplate } from "../alerts/member-template";
import { evaluateConfigPoliciesSync, evaluateTerraformPoliciesSync } from "../policies/gate";
import { buildLandingZoneStacks, type LandingZoneStacks } from "../stacks/landing-zone";
import { requiredTrustedAccess } from "../stacks/organization-stack";
import {
  cleanup,
  dummyJobAlertsPackage,
  dummyPartitionerPackage,
  exampleInput,
  landingZone,
  onlyResource,
  resourcesOf,
  statementBySid,
  synthStack,
  testApp,
  type TerraformJson,
} from "./helpers/landing-zone";

afterAll(cleanup);

const QUERIES = [{ name: "q1", description: "one", sql: "SELECT 1" }];

function withJobs(jobs: Record<string, unknown>) {
  const input = exampleInput();
  return landingZone({ alerts: { emails: ["ops@example.com"], jobs: { enabled: true, ...jobs } } as typeof input.alerts });
}

function synthAll(stacks: LandingZoneStacks): Record<string, TerraformJson> {
  const out: Record<string, TerraformJson> = {};
  for (const stack of Object.values(stacks) as Array<TerraformStack | undefined>) {
    if (stack) out[stack.node.id] = synthStack(stack);
  }
  return out;
}

describe("the job event pattern", () => {
  it("matches the three job kinds, the states in `state` (backup, copy) or `status` (restore)", () => {
    expect(jobEventPattern(["BACKUP", "COPY", "RESTORE"], ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"])).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Backup Job State Change", "Copy Job State Change", "Restore Job State Change"],
      $or: [
        { detail: { state: ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"] } },
        { detail: { status: ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"] } },
      ],
    });
  });

  it("matches COMPLETED only with a status message ('Completed with issues')", () => {
    expect(jobEventPattern(["BACKUP"], ["FAILED", "COMPLETED"]).$or).toEqual([
      { detail: { state: ["FAILED"] } },
      { detail: { state: ["COMPLETED"], statusMessage: [{ "anything-but": [""] }] } },
      { detail: { status: ["FAILED"] } },
      { detail: { status: ["COMPLETED"], statusMessage: [{ "anything-but": [""] }] } },
    ]);
  });

  it("refuses empty lists (EventBridge would reject the rule)", () => {
    expect(() => jobEventPattern([], ["FAILED"])).toThrow("no job type");
    expect(() => jobEventPattern(["COPY"], [])).toThrow("no state");
  });
});

describe("stacks with alerts.jobs", () => {
  const lz = withJobs({ digestWindowSeconds: 120, accountNames: { "444455556666": "workloads-prod" }, slack: { workspaceId: "T0123ABCD", channelId: "C0123ABCD" } });
  const stacks = buildLandingZoneStacks(testApp(), lz, { partitionerPackage: dummyPartitionerPackage(), jobAlertsPackage: dummyJobAlertsPackage(), namedQueries: QUERIES });
  const tf = synthAll(stacks);
  const analytics = tf["acme-prod-analytics"];
  const members = tf["acme-prod-job-alert-members"];
  const pattern = jobEventPattern(["BACKUP", "COPY", "RESTORE"], ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"]);
  const busArn = "arn:aws:events:us-east-1:111122223333:event-bus/acme-prod-backup-job-alerts";

  it("normalises the section from the member frameworks' StackSet (OU root for ROOT, its Regions)", () => {
    expect(lz.alerts.jobs).toMatchObject({
      stackSetName: "acme-prod-backup-job-alerts",
      administratorAccountId: "111122223333",
      callAs: "SELF",
      organizationalUnits: [],
      targetsRoot: true,
      regions: ["us-east-1"],
      busName: "acme-prod-backup-job-alerts",
      busAccountId: "111122223333",
      busRegion: "us-east-1",
      archiveRetentionDays: 14,
      digestWindowSeconds: 120,
    });
    expect(landingZone().alerts.jobs).toBeNull();
  });

  it("adds a job-alert-members stack after the organization and analytics stacks", () => {
    expect(stacks.jobAlertMembers?.node.id).toBe("acme-prod-job-alert-members");
    expect(stacks.jobAlertMembers?.dependencies).toEqual([stacks.organization, stacks.analytics]);
    expect(requiredTrustedAccess(lz)).toContain("member.org.stacksets.cloudformation.amazonaws.com");
  });

  it("deploys the forwarding rule and its role into the member accounts with a service-managed StackSet", () => {
    const set = onlyResource(members, "aws_cloudformation_stack_set");
    expect(set).toMatchObject({ name: "acme-prod-backup-job-alerts", permission_model: "SERVICE_MANAGED", call_as: "SELF", capabilities: ["CAPABILITY_IAM"] });
    expect(JSON.parse(set.template_body as string)).toEqual(memberAlertTemplate({ centralBusArn: busArn, eventPattern: pattern, ruleName: "acme-prod-backup-job-alerts-forward" }));
    const template = JSON.parse(set.template_body as string) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    expect(template.Resources.ForwardRule.Properties.Targets).toEqual([{ Id: "central-alert-bus", Arn: busArn, RoleArn: { "Fn::GetAtt": ["ForwardRole", "Arn"] } }]);
    const instances = Object.values(resourcesOf(members, "aws_cloudformation_stack_set_instance"));
    expect(instances.map((i) => i.stack_set_instance_region)).toEqual(["us-east-1"]);
    expect(instances[0].deployment_targets).toEqual({ organizational_unit_ids: ["${data.aws_organizations_organization.organization.roots[0].id}"] });
  });

  it("admits only the organization on the central bus and archives what it receives", () => {
    const policy = onlyResource(analytics, "aws_cloudwatch_event_bus_policy");
    expect(statementBySid(policy.policy, "OrganizationAccountsPutEvents")).toEqual({
      Sid: "OrganizationAccountsPutEvents",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "events:PutEvents",
      Resource: "${aws_cloudwatch_event_bus.job-alerts_bus_B4D6BAA0.arn}",
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } },
    });
    const archive = onlyResource(analytics, "aws_cloudwatch_event_archive");
    expect(archive.retention_days).toBe(14);
    expect(JSON.parse(archive.event_pattern as string)).toEqual(pattern);
  });

  it("routes the bus's rule to an encrypted queue the formatter reads in one batch per digest window", () => {
    const rule = Object.values(resourcesOf(analytics, "aws_cloudwatch_event_rule")).find((r) => r.name === "acme-prod-backup-job-alerts-to-queue");
    expect(JSON.parse(String(rule?.event_pattern))).toEqual(pattern);
    const queue = Object.values(resourcesOf(analytics, "aws_sqs_queue")).find((q) => q.name === "acme-prod-backup-job-alerts");
    expect(queue).toMatchObject({ sqs_managed_sse_enabled: true, visibility_timeout_seconds: 480 });
    expect(JSON.parse(String(queue?.redrive_policy))).toMatchObject({ maxReceiveCount: 5 });
    expect(onlyResource(analytics, "aws_lambda_event_source_mapping")).toMatchObject({
      batch_size: 10000,
      maximum_batching_window_in_seconds: 120,
      function_response_types: ["ReportBatchItemFailures"],
      scaling_config: { maximum_concurrency: 2 },
    });
    const fn = Object.values(resourcesOf(analytics, "aws_lambda_function")).find((f) => f.function_name === "acme-prod-backup-job-alerts-formatter");
    expect((fn?.environment as { variables: Record<string, string> }).variables).toMatchObject({
      LANDING_ZONE: "acme-prod",
      ACCOUNT_NAMES: '{"444455556666":"workloads-prod"}',
      DIGEST_WINDOW_SECONDS: "120",
      CHAT_FORMAT: "slack",
    });
  });

  it("subscribes the Slack channel with a read-only guardrail", () => {
    expect(onlyResource(analytics, "aws_chatbot_slack_channel_configuration")).toMatchObject({
      slack_team_id: "T0123ABCD",
      slack_channel_id: "C0123ABCD",
      guardrail_policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    });
  });

  it("passes the config and post-synth gates, and the gate refuses the bus opened to everyone", () => {
    expect(evaluateConfigPoliciesSync([lz])).toEqual([]);
    expect(evaluateTerraformPoliciesSync(tf)).toEqual([]);
    const opened = structuredClone(tf);
    const policy = onlyResource(opened["acme-prod-analytics"], "aws_cloudwatch_event_bus_policy");
    const doc = JSON.parse(policy.policy as string) as { Statement: Array<Record<string, unknown>> };
    delete doc.Statement[0].Condition;
    policy.policy = JSON.stringify(doc);
    expect(evaluateTerraformPoliciesSync(opened).map((v) => [v.id, v.file, v.path])).toEqual([
      ["BAI139", "stacks/acme-prod-analytics/cdk.tf.json", "resource.aws_cloudwatch_event_bus_policy.job-alerts_bus-policy_F26DFCFF"],
    ]);
  });
});
