import * as fs from "node:fs";
import * as path from "node:path";
import type { TerraformStack } from "cdktf";
import { buildLandingZoneStacks, type LandingZoneStacks } from "../stacks/landing-zone";
import { stackInstanceTimeoutMinutes } from "../stacks/constructs/service-managed-stack-set";
import {
  allResources,
  cleanup,
  dummyPartitionerPackage,
  exampleInput,
  landingZone,
  onlyResource,
  resourceList,
  resourceWhere,
  statementBySid,
  statementsOf,
  synthStack,
  testApp,
  type TerraformJson,
} from "./helpers/landing-zone";

afterAll(cleanup);

const QUERIES = [{ name: "q1", description: "one", sql: "SELECT 1" }];
const OPTIONS = () => ({ partitionerPackage: dummyPartitionerPackage(), namedQueries: QUERIES });

function build(overrides: Parameters<typeof landingZone>[0] = {}): LandingZoneStacks {
  return buildLandingZoneStacks(testApp(), landingZone(overrides), OPTIONS());
}

function synthAll(stacks: LandingZoneStacks): Record<string, TerraformJson> {
  const out: Record<string, TerraformJson> = {};
  for (const [kind, stack] of Object.entries(stacks) as Array<[string, TerraformStack | undefined]>) {
    if (stack) out[kind] = synthStack(stack);
  }
  return out;
}

const input = exampleInput();
const DATA_ACCOUNT = "444455556666";
const TRAIL_ACCOUNT = "777788889999";

describe("buildLandingZoneStacks", () => {
  const stacks = build();
  const tf = synthAll(stacks);

  it("creates the six stacks named <landing zone>-<kind>", () => {
    expect(stacks.organization.node.id).toBe("acme-prod-organization");
    expect(stacks.memberFrameworks?.node.id).toBe("acme-prod-member-frameworks");
    expect(stacks.reporting.node.id).toBe("acme-prod-reporting");
    expect(stacks.analytics?.node.id).toBe("acme-prod-analytics");
    expect(stacks.trailBucket?.node.id).toBe("acme-prod-trail-bucket");
    expect(stacks.auditTrail?.node.id).toBe("acme-prod-audit-trail");
  });

  it("orders the stacks: organization → member frameworks, reporting → analytics; organization → trail bucket → trail", () => {
    expect(stacks.memberFrameworks?.dependencies).toEqual([stacks.organization]);
    expect(stacks.reporting.dependencies).toEqual([stacks.organization]);
    expect(stacks.analytics?.dependencies).toEqual([stacks.reporting]);
    expect(stacks.trailBucket?.dependencies).toEqual([stacks.organization]);
    expect(stacks.auditTrail?.dependencies).toEqual([stacks.trailBucket]);
  });

  it("creates no trail stacks for an existing trail, and no StackSet without member frameworks", () => {
    const existing = build({
      auditTrail: { existingTrail: { bucketName: "aws-controltower-logs-333344445555-us-east-1", bucketAccountId: "333344445555" } },
      reports: { ...input.reports, memberFrameworks: undefined },
    });
    expect(existing.trailBucket).toBeUndefined();
    expect(existing.auditTrail).toBeUndefined();
    expect(existing.memberFrameworks).toBeUndefined();
  });

  it("omits analytics and audit trail when the config turns them off", () => {
    const lean = build({ analytics: { enabled: false }, auditTrail: undefined });
    expect(lean.analytics).toBeUndefined();
    expect(lean.auditTrail).toBeUndefined();
    const disabledTrail = build({ auditTrail: { ...input.auditTrail!, enabled: false } });
    expect(disabledTrail.auditTrail).toBeUndefined();
  });

  it("gives every stack a provider in the management account without assume-role", () => {
    for (const kind of ["organization", "memberFrameworks", "reporting", "analytics", "trailBucket", "auditTrail"]) {
      expect(tf[kind].provider?.aws).toEqual([
        {
          region: "us-east-1",
          allowed_account_ids: ["111122223333"],
          default_tags: [{ tags: { "backup-audit:landing-zone": "acme-prod", owner: "platform-team" } }],
        },
      ]);
    }
  });

  it("assumes the deployment role in other accounts, per stack", () => {
    const other = synthAll(
      build({
        reports: { ...input.reports, accountId: DATA_ACCOUNT, region: "eu-west-1" },
        auditTrail: { ...input.auditTrail!, accountId: TRAIL_ACCOUNT, organizationTrail: false },
        deployment: { roleName: "BackupAuditDeployer" },
      }),
    );
    const provider = (kind: string) => (other[kind].provider?.aws ?? [])[0];
    expect(provider("organization").assume_role).toBeUndefined();
    expect(provider("organization").allowed_account_ids).toEqual(["111122223333"]);
    for (const kind of ["reporting", "analytics"]) {
      expect(provider(kind)).toMatchObject({
        region: "eu-west-1",
        allowed_account_ids: [DATA_ACCOUNT],
        assume_role: [{ role_arn: `arn:aws:iam::${DATA_ACCOUNT}:role/BackupAuditDeployer`, session_name: "backup-audit-acme-prod" }],
      });
    }
    expect(provider("auditTrail")).toMatchObject({
      region: "us-east-1",
      allowed_account_ids: [TRAIL_ACCOUNT],
      assume_role: [{ role_arn: `arn:aws:iam::${TRAIL_ACCOUNT}:role/BackupAuditDeployer`, session_name: "backup-audit-acme-prod" }],
    });
    // The SLR and the log grant name the reports account, not the management account.
    const reportsPolicy = resourceList(other.reporting, "aws_s3_bucket_policy").find(
      (p) => p.bucket === "acme-backup-reports-111122223333",
    )!;
    expect(statementsOf(reportsPolicy.policy)[1].Principal).toEqual({
      AWS: `arn:aws:iam::${DATA_ACCOUNT}:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports`,
    });
  });

  it("stores each stack's state under <prefix>/<landing zone>/<kind>.tfstate with S3 locking", () => {
    const keys: Record<string, string> = {
      organization: "organization",
      reporting: "reporting",
      analytics: "analytics",
      auditTrail: "audit-trail",
    };
    for (const [kind, file] of Object.entries(keys)) {
      expect(tf[kind].terraform?.backend).toEqual({
        s3: {
          bucket: "acme-terraform-state-111122223333",
          key: `backup-audit/acme-prod/${file}.tfstate`,
          region: "us-east-1",
          encrypt: true,
          use_lockfile: true,
        },
      });
    }
  });

  it("locks with DynamoDB when a table is given, and falls back to local state without a backend", () => {
    const dynamo = synthStack(
      build({
        deployment: {
          roleName: "OrganizationAccountAccessRole",
          backend: { s3: { bucket: "state-bkt", keyPrefix: "tf", dynamodbTable: "locks" } },
        },
      }).reporting,
    );
    expect(dynamo.terraform?.backend).toEqual({
      s3: { bucket: "state-bkt", key: "tf/acme-prod/reporting.tfstate", region: "us-east-1", encrypt: true, dynamodb_table: "locks" },
    });
    const local = synthStack(build({ deployment: { roleName: "OrganizationAccountAccessRole" } }).analytics!);
    expect(local.terraform?.backend).toEqual({ local: { path: path.join(process.cwd(), "terraform.acme-prod-analytics.tfstate") } });
  });

  it("satisfies the post-synth invariants in every stack", () => {
    for (const doc of Object.values(tf)) {
      const buckets = resourceList(doc, "aws_s3_bucket").map((b) => b.bucket as string);
      const logTargets = new Set(
        Object.values(tf).flatMap((d) => resourceList(d, "aws_s3_bucket_logging").map((l) => l.target_bucket as string)),
      );
      for (const name of buckets) {
        const on = (type: string) => resourceList(doc, type).filter((r) => r.bucket === name);
        expect(on("aws_s3_bucket_server_side_encryption_configuration")).toHaveLength(1);
        expect(on("aws_s3_bucket_public_access_block")).toEqual([
          expect.objectContaining({
            block_public_acls: true,
            block_public_policy: true,
            ignore_public_acls: true,
            restrict_public_buckets: true,
          }),
        ]);
        const logging = on("aws_s3_bucket_logging");
        if (logTargets.has(name)) {
          expect(logging).toHaveLength(0);
        } else {
          expect(logging).toHaveLength(1);
          expect(logging[0].target_bucket).not.toBe(name);
        }
        expect(on("aws_s3_bucket_policy")).toHaveLength(1);
      }
      for (const plan of resourceList(doc, "aws_backup_report_plan")) {
        expect((plan.report_delivery_channel as { formats: string[] }).formats).toEqual(["CSV"]);
      }
      for (const [type, , body] of allResources(doc)) {
        const docs = [type === "aws_iam_role" ? body.assume_role_policy : undefined, body.policy].filter(
          (p): p is string => typeof p === "string",
        );
        for (const p of docs) {
          for (const s of statementsOf(p).filter((st) => st.Effect === "Allow")) {
            expect(([] as string[]).concat(s.Action)).not.toContain("*");
          }
        }
      }
    }
    // Every bucket the config lists is created exactly once, with the log target the config names.
    const lz = landingZone();
    const created = Object.values(tf).flatMap((d) => resourceList(d, "aws_s3_bucket").map((b) => b.bucket));
    expect(created.sort()).toEqual(lz.buckets.map((b) => b.name).sort());
    const loggingByBucket = new Map(
      Object.values(tf).flatMap((d) => resourceList(d, "aws_s3_bucket_logging").map((l) => [l.bucket, l.target_bucket] as const)),
    );
    for (const b of lz.buckets) expect(loggingByBucket.get(b.name) ?? null).toBe(b.logTarget);
  });

  it("places two landing zones in one app without name collisions", () => {
    const app = testApp();
    const a = buildLandingZoneStacks(app, landingZone(), OPTIONS());
    const b = buildLandingZoneStacks(
      app,
      landingZone({
        name: "acme-dev",
        reports: {
          ...input.reports,
          bucketName: "acme-dev-reports-111122223333",
          accessLogBucketName: "acme-dev-reports-logs-111122223333",
        },
        analytics: { databaseName: "backup_reports_dev", workgroup: "backup-reports-dev" },
        auditTrail: { ...input.auditTrail!, bucketName: "acme-dev-trail-111122223333", accessLogBucketName: "acme-dev-trail-logs-111122223333" },
      }),
      OPTIONS(),
    );
    const ids = [...Object.values(a), ...Object.values(b)].map((s) => (s as TerraformStack).node.id);
    expect(new Set(ids).size).toBe(12);
    expect(ids.filter((id) => id.startsWith("acme-dev-"))).toHaveLength(6);
    const devTf = synthStack(b.reporting);
    expect(devTf.terraform?.backend).toMatchObject({ s3: { key: "backup-audit/acme-dev/reporting.tfstate" } });
    expect(resourceList(devTf, "aws_backup_report_plan").map((p) => p.name)).toContain("acme_dev_backup_job_report");
    expect(onlyResource(synthStack(b.analytics!), "aws_lambda_function").function_name).toBe("acme-dev-report-partitioner");
    // The whole app synthesizes (assets copied, manifest written) without clashes.
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual([...ids].sort());
  });
});

describe("OrganizationStack", () => {
  it("asserts trusted access and all features with postconditions, changing nothing (default)", () => {
    const org = synthStack(build().organization);
    expect(org.resource).toBeUndefined();
    expect(org.data?.aws_organizations_organization).toEqual({
      organization: {
        lifecycle: {
          postcondition: [
            {
              condition: '${self.feature_set == "ALL"}',
              error_message: expect.stringContaining("all features enabled"),
            },
            {
              condition: '${contains(self.aws_service_access_principals, "backup.amazonaws.com")}',
              error_message: expect.stringMatching(/AWS Backup console.*manageTrustedAccess: true/s),
            },
            {
              // The example's organization trail also needs CloudTrail's trusted access.
              condition: '${contains(self.aws_service_access_principals, "cloudtrail.amazonaws.com")}',
              error_message: expect.stringContaining("organization trail"),
            },
            {
              // And its frameworks StackSet the StackSets principal.
              condition: '${contains(self.aws_service_access_principals, "member.org.stacksets.cloudformation.amazonaws.com")}',
              error_message: expect.stringContaining("frameworks StackSet"),
            },
          ],
        },
      },
    });
  });

  it("adds the principals it needs to those enabled today (read at plan time), never removing one, when opted in", () => {
    const org = synthStack(
      build({
        organization: { manageTrustedAccess: true, trustedAccess: ["sso.amazonaws.com", "config.amazonaws.com"] },
        auditTrail: { ...input.auditTrail!, organizationTrail: false },
        reports: { ...input.reports, memberFrameworks: undefined },
      }).organization,
    );
    // The organization as it is now: whatever Control Tower or another team enabled stays in the union.
    expect(org.data?.aws_organizations_organization).toEqual({ "organization-current": {} });
    expect(onlyResource(org, "aws_organizations_organization")).toEqual({
      aws_service_access_principals:
        '${setunion(tolist(data.aws_organizations_organization.organization-current.aws_service_access_principals), ["backup.amazonaws.com", "config.amazonaws.com", "sso.amazonaws.com"])}',
      feature_set: "ALL",
      lifecycle: { prevent_destroy: true, ignore_changes: ["enabled_policy_types"] },
    });
    const imports = (org as Record<string, unknown>).import as Array<Record<string, unknown>>;
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ id: "o-abc123def4" });
    expect(String(imports[0].to)).toMatch(/^aws_organizations_organization\./);
  });

  it("sets all three global settings as strings only when configured", () => {
    expect(resourceList(synthStack(build().organization), "aws_backup_global_settings")).toHaveLength(0);
    const org = synthStack(
      build({
        organization: {
          trustedAccess: ["backup.amazonaws.com"],
          globalSettings: { isCrossAccountBackupEnabled: true, isMpaEnabled: false, isDelegatedAdministratorEnabled: true },
        },
      }).organization,
    );
    expect(onlyResource(org, "aws_backup_global_settings").global_settings).toEqual({
      isCrossAccountBackupEnabled: "true",
      isMpaEnabled: "false",
      isDelegatedAdministratorEnabled: "true",
    });
  });

  it("registers the Backup delegated administrator after the trusted-access check", () => {
    expect(resourceList(synthStack(build().organization), "aws_organizations_delegated_administrator")).toHaveLength(0);
    const org = synthStack(build({ organization: { delegatedAdminAccountId: DATA_ACCOUNT } }).organization);
    expect(onlyResource(org, "aws_organizations_delegated_administrator")).toEqual({
      account_id: DATA_ACCOUNT,
      service_principal: "backup.amazonaws.com",
      depends_on: ["data.aws_organizations_organization.organization"],
    });
  });
});

describe("AuditTrailStack and TrailBucketStack", () => {
  it("creates the organization trail in the trail account and its two buckets in the bucket account", () => {
    const stacks = build({ auditTrail: { ...input.auditTrail!, bucketAccountId: TRAIL_ACCOUNT } });
    const trail = synthStack(stacks.auditTrail!);
    expect(onlyResource(trail, "aws_cloudtrail")).toMatchObject({
      name: "acme-prod-backup-events",
      s3_bucket_name: "acme-backup-trail-111122223333",
      is_organization_trail: true,
      is_multi_region_trail: true,
    });
    expect(trail.provider?.aws[0].allowed_account_ids).toEqual(["111122223333"]);
    expect(resourceList(trail, "aws_s3_bucket")).toEqual([]);
    const bucket = synthStack(stacks.trailBucket!);
    expect(bucket.provider?.aws[0]).toMatchObject({
      allowed_account_ids: [TRAIL_ACCOUNT],
      assume_role: [{ role_arn: `arn:aws:iam::${TRAIL_ACCOUNT}:role/OrganizationAccountAccessRole` }],
    });
    expect(resourceList(bucket, "aws_s3_bucket").map((b) => b.bucket).sort()).toEqual([
      "acme-backup-trail-111122223333",
      "acme-backup-trail-logs-111122223333",
    ]);
    // The trail of the management account writes under its account's and the organization's prefixes.
    const policy = resourceWhere(bucket, "aws_s3_bucket_policy", "bucket", "acme-backup-trail-111122223333").policy;
    expect(statementBySid(policy, "AWSCloudTrailWrite")).toMatchObject({
      Resource: [
        "arn:aws:s3:::acme-backup-trail-111122223333/AWSLogs/111122223333/*",
        "arn:aws:s3:::acme-backup-trail-111122223333/AWSLogs/o-abc123def4/*",
      ],
      Condition: { StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/acme-prod-backup-events" } },
    });
    // The analytics (reports) account reads the logs across accounts, through Athena only (no roles named).
    for (const sid of ["TrailLogReadersGet", "TrailLogReadersList"]) {
      expect(statementBySid(policy, sid)).toMatchObject({
        Principal: { AWS: ["arn:aws:iam::111122223333:root"] },
        Condition: { "ForAnyValue:StringEquals": { "aws:CalledVia": ["athena.amazonaws.com"] } },
      });
    }
  });

  it("lets only the named reader roles of the analytics account read the trail's logs", () => {
    const reader = "arn:aws:iam::111122223333:role/BackupAuditReader";
    const analyst = "arn:aws:iam::111122223333:role/data/Analyst";
    const stacks = build({
      auditTrail: { ...input.auditTrail!, bucketAccountId: TRAIL_ACCOUNT, readerRoleArns: [reader, analyst] },
    });
    const policy = resourceWhere(synthStack(stacks.trailBucket!), "aws_s3_bucket_policy", "bucket", "acme-backup-trail-111122223333").policy;
    expect(statementBySid(policy, "TrailLogReadersGet")).toEqual({
      Sid: "TrailLogReadersGet",
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam::111122223333:root"] },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::acme-backup-trail-111122223333/AWSLogs/*",
      Condition: { ArnEquals: { "aws:PrincipalArn": [reader, analyst] } },
    });
  });
});

describe("MemberFrameworksStack", () => {
  it("deploys the frameworks as a service-managed StackSet to the organization root, one instance per Region in turn", () => {
    const tf = synthStack(
      build({ reports: { ...input.reports, memberFrameworks: { regions: ["us-east-1", "eu-west-1"] } } }).memberFrameworks!,
    );
    const set = onlyResource(tf, "aws_cloudformation_stack_set");
    expect(set).toMatchObject({
      name: "acme-prod-backup-frameworks",
      permission_model: "SERVICE_MANAGED",
      call_as: "SELF",
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      lifecycle: { ignore_changes: ["administration_role_arn"] },
    });
    expect(JSON.parse(set.template_body as string).Resources).toEqual({
      Framework0: {
        Type: "AWS::Backup::Framework",
        Properties: {
          FrameworkName: "acme_backup_baseline",
          FrameworkControls: [{ ControlName: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN" }],
        },
      },
    });
    const instances = Object.entries(tf.resource?.aws_cloudformation_stack_set_instance ?? {});
    const byRegion = new Map(instances.map(([id, i]) => [i.stack_set_instance_region, { id, i }]));
    expect([...byRegion.keys()].sort()).toEqual(["eu-west-1", "us-east-1"]);
    for (const [, i] of instances) {
      expect(i.deployment_targets).toEqual({ organizational_unit_ids: ["${data.aws_organizations_organization.organization.roots[0].id}"] });
    }
    expect(byRegion.get("us-east-1")!.i.depends_on).toBeUndefined();
    expect(byRegion.get("eu-west-1")!.i.depends_on).toEqual([`aws_cloudformation_stack_set_instance.${byRegion.get("us-east-1")!.id}`]);
    // The first rollout (CreateStackInstances) gets the StackSet's preferences and a timeout sized for the default
    // 100 accounts: 10% + 1 = 11 at a time (STRICT_FAILURE_TOLERANCE), 10 batches of 5 minutes + 10.
    expect(set.operation_preferences).toEqual({ failure_tolerance_percentage: 10, max_concurrent_percentage: 25, region_concurrency_type: "PARALLEL" });
    for (const [, i] of instances) {
      expect(i.operation_preferences).toEqual({ failure_tolerance_percentage: 10, max_concurrent_percentage: 25 });
      expect(i.timeouts).toEqual({ create: "60m", update: "60m", delete: "60m" });
    }
  });

  it("takes the rollout and the timeouts from the config: concurrency, failure tolerance, expected accounts", () => {
    const tf = synthStack(
      build({
        reports: {
          ...input.reports,
          memberFrameworks: {
            regions: ["us-east-1"],
            operationPreferences: { maxConcurrentPercentage: 50, failureTolerancePercentage: 20 },
            expectedAccounts: 600,
          },
        },
      }).memberFrameworks!,
    );
    expect(onlyResource(tf, "aws_cloudformation_stack_set").operation_preferences).toEqual({
      failure_tolerance_percentage: 20,
      max_concurrent_percentage: 50,
      region_concurrency_type: "PARALLEL",
    });
    const instance = onlyResource(tf, "aws_cloudformation_stack_set_instance");
    expect(instance.operation_preferences).toEqual({ failure_tolerance_percentage: 20, max_concurrent_percentage: 50 });
    // 600 accounts: min(300, 120 + 1) = 121 at a time, 5 batches: 10 + 25 = 35 minutes.
    expect(instance.timeouts).toEqual({ create: "35m", update: "35m", delete: "35m" });
  });

  it("sizes the instances' timeouts from the number of accounts and the rollout", () => {
    const defaults = { maxConcurrentPercentage: 25, failureTolerancePercentage: 10 };
    // A small organization keeps the provider's 30 minutes; 5 accounts go one at a time (25% and 10% round down).
    expect(stackInstanceTimeoutMinutes(3, defaults)).toBe(30);
    expect(stackInstanceTimeoutMinutes(5, defaults)).toBe(35);
    // 100 accounts: 11 at a time, 10 batches.
    expect(stackInstanceTimeoutMinutes(100, defaults)).toBe(60);
    // 1,000 accounts: 101 at a time, 10 batches.
    expect(stackInstanceTimeoutMinutes(1000, defaults)).toBe(60);
    // No failure tolerated: one account at a time whatever the concurrency (CloudFormation's strict mode).
    expect(stackInstanceTimeoutMinutes(300, { maxConcurrentPercentage: 100, failureTolerancePercentage: 0 })).toBe(10 + 300 * 5);
    // Concurrency below the tolerance bounds it: 300 × 1% = 3 at a time, 100 batches.
    expect(stackInstanceTimeoutMinutes(300, { maxConcurrentPercentage: 1, failureTolerancePercentage: 50 })).toBe(10 + 100 * 5);
  });

  it("from a StackSets delegated administrator: callAs DELEGATED_ADMIN, registered by the organization stack", () => {
    const stacks = build({
      reports: {
        ...input.reports,
        memberFrameworks: { regions: ["us-east-1"], administratorAccountId: DATA_ACCOUNT, organizationalUnits: ["ou-ab12-cd34ef56"] },
      },
    });
    const tf = synthStack(stacks.memberFrameworks!);
    expect(tf.provider?.aws[0].allowed_account_ids).toEqual([DATA_ACCOUNT]);
    expect(onlyResource(tf, "aws_cloudformation_stack_set").call_as).toBe("DELEGATED_ADMIN");
    expect(onlyResource(tf, "aws_cloudformation_stack_set_instance").deployment_targets).toEqual({
      organizational_unit_ids: ["ou-ab12-cd34ef56"],
    });
    expect(tf.data).toBeUndefined();
    const org = synthStack(stacks.organization);
    expect(resourceWhere(org, "aws_organizations_delegated_administrator", "service_principal", "member.org.stacksets.cloudformation.amazonaws.com").account_id).toBe(DATA_ACCOUNT);
  });

  it("keeps the frameworks out of the reporting stack when the StackSet deploys them", () => {
    expect(resourceList(synthStack(build().reporting), "aws_backup_framework")).toHaveLength(0);
    const local = build({ reports: { ...input.reports, memberFrameworks: undefined } });
    expect(resourceList(synthStack(local.reporting), "aws_backup_framework").map((f) => f.name)).toEqual(["acme_backup_baseline"]);
  });
});

describe("trail-log table", () => {
  it("puts a partition-projected cloudtrail_logs table and the trail queries in the analytics workgroup", () => {
    const stacks = buildLandingZoneStacks(testApp(), landingZone(), {
      ...OPTIONS(),
      trailQueries: [{ name: "trail_q", description: "t", sql: "SELECT 1 FROM cloudtrail_logs" }],
    });
    const tf = synthStack(stacks.analytics!);
    const table = resourceWhere(tf, "aws_glue_catalog_table", "name", "cloudtrail_logs");
    expect(table.storage_descriptor).toMatchObject({
      location: "s3://acme-backup-trail-111122223333/AWSLogs/o-abc123def4/",
      input_format: "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
      ser_de_info: { serialization_library: "org.apache.hive.hcatalog.data.JsonSerDe" },
    });
    expect(table.partition_keys).toEqual([
      { name: "account", type: "string" },
      { name: "region", type: "string" },
      { name: "timestamp", type: "string" },
    ]);
    expect(table.parameters).toMatchObject({
      "projection.enabled": "true",
      "projection.account.values": "111122223333",
      "projection.region.values": "us-east-1",
      "projection.timestamp.range": "NOW-365DAYS,NOW",
      // Athena's placeholders, escaped so that Terraform keeps them literal (its own `${...}` would fail validate).
      "storage.location.template": "s3://acme-backup-trail-111122223333/AWSLogs/o-abc123def4/$${account}/CloudTrail/$${region}/$${timestamp}",
    });
    expect(resourceList(tf, "aws_athena_named_query").map((q) => q.name)).toEqual(["q1", "trail_q"]);
  });

  it("reads Control Tower's existing trail under its prefix, projecting the accounts and Regions the config names", () => {
    const lz = landingZone({
      auditTrail: {
        existingTrail: { bucketName: "aws-controltower-logs-333344445555-us-east-1", bucketAccountId: "333344445555", keyPrefix: "o-abc123def4" },
        queryRegions: ["us-east-1", "eu-west-1"],
      },
    });
    const tf = synthStack(buildLandingZoneStacks(testApp(), lz, OPTIONS()).analytics!);
    const table = resourceWhere(tf, "aws_glue_catalog_table", "name", "cloudtrail_logs");
    expect((table.storage_descriptor as Record<string, unknown>).location).toBe(
      "s3://aws-controltower-logs-333344445555-us-east-1/o-abc123def4/AWSLogs/o-abc123def4/",
    );
    expect(table.parameters).toMatchObject({
      "projection.account.values": "111122223333,333344445555",
      "projection.region.values": "us-east-1,eu-west-1",
    });
  });
});
