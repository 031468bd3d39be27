import { readFileSync } from "node:fs";
import path from "node:path";
import { findConfigIds, replaceConfigIds } from "../rehearsal/config-ids";
import { forgottenBeforeDestroy, gapOverrides, GAPS_FILE, loadEmulatorGaps, toleratedChanges } from "../rehearsal/emulator-gaps";
import { EMULATED_SERVICES, rehearsalOverride } from "../rehearsal/provider-override";
import { managedAddresses } from "../rehearsal/stack-workspace";
import { describeDiagnostic, parseValidateJson } from "../rehearsal/terraform-cli";

// The pure parts of check:terraform and the deploy rehearsal; the real runs are `npm run check:terraform` and
// `npm run test:deploy` (.ci/run).

describe("config ids", () => {
  const example = readFileSync(path.join(__dirname, "..", "config", "example.yaml"), "utf8");

  test("finds the example's accounts, OUs and organization", () => {
    const ids = findConfigIds(example);
    expect(ids.organizations).toEqual(["o-abc123def4"]);
    expect(ids.organizationalUnits).toEqual(["ou-ab12-security1", "ou-ab12-workload1"]);
    expect(ids.accounts).toEqual(["111122223333", "222233334444", "333344445555", "444455556666", "555566667777"]);
  });

  test("replaces whole ids only, everywhere, and nothing else", () => {
    const text = 'a: "222233334444"\nb: acme-backup-reports-222233334444\nc: 1222233334444\nd: o-abc123def4\ne: ou-ab12-workload1\nf: no-abc123def4x';
    const out = replaceConfigIds(
      text,
      new Map([
        ["222233334444", "999988887777"],
        ["o-abc123def4", "o-zzzzzzzzzz"],
        ["ou-ab12-workload1", "ou-zz99-abcdefgh"],
      ]),
    );
    expect(out).toBe('a: "999988887777"\nb: acme-backup-reports-999988887777\nc: 1222233334444\nd: o-zzzzzzzzzz\ne: ou-zz99-abcdefgh\nf: no-abc123def4x');
  });

  test("an id without a replacement stays", () => {
    expect(replaceConfigIds("x 111122223333 y", new Map())).toBe("x 111122223333 y");
  });
});

describe("the rehearsal's override file", () => {
  const override = rehearsalOverride({
    endpoint: "https://127.0.0.1:4566",
    caFile: "/tmp/ca.pem",
    credentials: { accessKeyId: "AKIA1", secretAccessKey: "s" },
    statePath: "/tmp/w/terraform.tfstate",
    providerAliases: [undefined, "eu"],
  }) as {
    terraform: { backend: { local: { path: string } } };
    provider: { aws: Record<string, unknown>[] };
    resource?: unknown;
  };

  test("points every provider block at the emulator with the pipeline's key and the CA, state local", () => {
    expect(override.terraform.backend.local.path).toBe("/tmp/w/terraform.tfstate");
    expect(override.provider.aws).toHaveLength(2);
    expect(override.provider.aws[1]?.alias).toBe("eu");
    for (const p of override.provider.aws) {
      expect(p).toMatchObject({ access_key: "AKIA1", secret_key: "s", custom_ca_bundle: "/tmp/ca.pem", s3_use_path_style: true });
      const endpoints = (p.endpoints as Record<string, string>[])[0] ?? {};
      expect(Object.keys(endpoints).sort()).toEqual([...EMULATED_SERVICES].sort());
      expect(new Set(Object.values(endpoints))).toEqual(new Set(["https://127.0.0.1:4566"]));
    }
    expect(override.resource).toBeUndefined();
  });

  test("never touches assume_role, allowed_account_ids, region or tags", () => {
    for (const p of override.provider.aws) {
      for (const key of ["assume_role", "allowed_account_ids", "region", "default_tags"]) expect(p).not.toHaveProperty(key);
    }
  });
});

describe("emulator gaps", () => {
  test("the committed list parses, and each entry has a reason and a probe", () => {
    const { emulator, gaps } = loadEmulatorGaps(GAPS_FILE);
    expect(emulator).toMatch(/^moto\[server\] \d+\.\d+\.\d+$/);
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) {
      expect(Object.keys(g.probe)).toContain(g.resourceType);
      expect(g.reason.length).toBeGreaterThan(40);
    }
  });

  test("the workarounds reach exactly the listed resources and attributes", () => {
    const { gaps } = loadEmulatorGaps(GAPS_FILE);
    const logBucketPolicy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "${aws_s3_bucket.l.arn}/*" },
        { Sid: "AllowS3ServerAccessLogDelivery", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "${aws_s3_bucket.l.arn}/*" },
      ],
    });
    const plainPolicy = JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" }] });
    const { resources, worked } = gapOverrides(
      {
        resource: {
          aws_s3_bucket_policy: { logs: { bucket: "l", policy: logBucketPolicy }, reports: { bucket: "r", policy: plainPolicy } },
          aws_organizations_delegated_administrator: {
            backup: { account_id: "1", service_principal: "backup.amazonaws.com" },
            guardduty: { account_id: "1", service_principal: "guardduty.amazonaws.com" },
          },
          aws_s3_bucket: { b: { bucket: "b" } },
        },
      },
      gaps,
    );
    expect(Object.keys(resources).sort()).toEqual(["aws_organizations_delegated_administrator", "aws_s3_bucket_policy"]);
    expect(resources.aws_organizations_delegated_administrator).toEqual({ backup: { count: 0 } });
    // The same statements, the logging grant first; the policy without such a grant is left as synthesized.
    const reordered = JSON.parse(String(resources.aws_s3_bucket_policy?.logs?.policy)) as { Statement: { Sid: string }[] };
    expect(reordered.Statement.map((st) => st.Sid)).toEqual(["AllowS3ServerAccessLogDelivery", "DenyInsecureTransport"]);
    expect(JSON.parse(String(resources.aws_s3_bucket_policy?.logs?.policy))).toEqual({
      ...JSON.parse(logBucketPolicy),
      Statement: [...JSON.parse(logBucketPolicy).Statement].reverse(),
    });
    expect(resources.aws_s3_bucket_policy?.reports).toBeUndefined();
    expect(worked.map((w) => w.address).sort()).toEqual([
      "aws_organizations_delegated_administrator.backup",
      "aws_s3_bucket_policy.logs",
    ]);
  });
});

test("ignore-changes keeps the resource's own ignore_changes and adds the emulator's", () => {
  const { gaps } = loadEmulatorGaps(GAPS_FILE);
  const { resources } = gapOverrides(
    { resource: { aws_cloudformation_stack_set: { s: { name: "s", lifecycle: { ignore_changes: ["administration_role_arn"] } } } } },
    gaps,
  );
  expect(resources.aws_cloudformation_stack_set?.s).toEqual({
    lifecycle: { ignore_changes: ["administration_role_arn", "auto_deployment", "managed_execution"] },
  });
});

test("the second plan tolerates exactly the listed attributes the emulator does not read back", () => {
  const { gaps } = loadEmulatorGaps(GAPS_FILE);
  const update = (address: string, type: string, before: object, after: object) => ({
    address,
    type,
    mode: "managed",
    change: { actions: ["update"], before, after },
  });
  const { tolerated, unexplained } = toleratedChanges(
    [
      update("aws_s3_bucket.a", "aws_s3_bucket", { bucket: "a", tags_all: {} }, { bucket: "a", tags_all: { owner: "x" } }),
      update("aws_s3_bucket.b", "aws_s3_bucket", { bucket: "b", tags_all: {}, acl: "x" }, { bucket: "b", tags_all: { owner: "x" }, acl: "y" }),
      update("aws_s3_bucket_notification.n", "aws_s3_bucket_notification", { eventbridge: false }, { eventbridge: true }),
      update("aws_sqs_queue.q", "aws_sqs_queue", { tags_all: {} }, { tags_all: { owner: "x" } }),
      { address: "aws_s3_bucket.c", type: "aws_s3_bucket", change: { actions: ["delete", "create"], before: {}, after: {} } },
      { address: "aws_s3_bucket.d", type: "aws_s3_bucket", change: { actions: ["no-op"], before: {}, after: {} } },
    ],
    gaps,
  );
  expect(tolerated.map((t) => [t.address, t.gap])).toEqual([
    ["aws_s3_bucket.a", "s3-bucket-tags"],
    ["aws_s3_bucket_notification.n", "s3-notification-eventbridge"],
  ]);
  expect(unexplained.map((u) => `${u.address} ${u.actions} ${u.attributes.join("+")}`)).toEqual([
    "aws_s3_bucket.b update acl+tags_all",
    "aws_sqs_queue.q update tags_all",
    "aws_s3_bucket.c delete,create ",
  ]);
});

describe("terraform output", () => {
  test("validate -json diagnostics are described with the resource, file and line", () => {
    const { valid, diagnostics } = parseValidateJson(
      JSON.stringify({
        format_version: "1.0",
        valid: false,
        error_count: 1,
        warning_count: 0,
        diagnostics: [
          {
            severity: "error",
            summary: "Invalid reference",
            detail: "A reference to a resource type must be followed by at least one attribute access.",
            range: { filename: "cdk.tf.json", start: { line: 812, column: 9, byte: 1 }, end: { line: 812, column: 20, byte: 2 } },
            snippet: { context: 'resource.aws_glue_catalog_table.trail-table_FB64E666.parameters', code: "x", start_line: 812 },
          },
        ],
      }),
    );
    expect(valid).toBe(false);
    expect(diagnostics.map(describeDiagnostic)).toEqual([
      "error (resource.aws_glue_catalog_table.trail-table_FB64E666.parameters, cdk.tf.json:812) Invalid reference: A reference to a resource type must be followed by at least one attribute access.",
    ]);
  });

  test("output that is not validate's JSON is an error, not a pass", () => {
    expect(() => parseValidateJson('{"valid": true}')).toThrow(/not terraform validate -json output/);
  });

  test("state lists count managed resources only", () => {
    expect(managedAddresses("data.aws_organizations_organization.o\naws_s3_bucket.a\nmodule.m.data.x.y\n\naws_s3_bucket.b\n")).toEqual([
      "aws_s3_bucket.a",
      "aws_s3_bucket.b",
    ]);
  });
});

test("before destroy, exactly the resources the emulator cannot delete leave the state", () => {
  const { gaps } = loadEmulatorGaps(GAPS_FILE);
  const state = [
    "aws_athena_named_query.daily-failures",
    "aws_athena_named_query.coverage[0]",
    "aws_athena_workgroup.analytics",
    "aws_glue_catalog_table.trail-table",
  ];
  expect(forgottenBeforeDestroy(state, gaps)).toEqual([
    { address: "aws_athena_named_query.daily-failures", gap: "athena-named-query-delete" },
    { address: "aws_athena_named_query.coverage[0]", gap: "athena-named-query-delete" },
  ]);
  // Not an override: the named queries are created and read back for real.
  expect(gapOverrides({ resource: { aws_athena_named_query: { q: { name: "q", query: "SELECT 1" } } } }, gaps).resources).toEqual({});
});
