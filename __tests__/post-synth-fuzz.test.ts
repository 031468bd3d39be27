import fc from "fast-check";
import { evaluateTerraformPolicies } from "../policies/gate";

/**
 * Property: the post-synth policies never fail on odd Terraform JSON (missing blocks, lists where objects are
 * expected, numbers where strings are, unparsable policy strings), and every violation they return is
 * well-formed and points at a resource that exists.
 */

const TYPES = [
  "aws_s3_bucket",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_logging",
  "aws_backup_report_plan",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_lambda_function",
  "aws_lambda_function_event_invoke_config",
  "aws_athena_workgroup",
  "aws_cloudtrail",
  "aws_sqs_queue",
  "aws_cloudwatch_log_group",
  "aws_cloudwatch_event_target",
  "aws_cloudwatch_metric_alarm",
  "aws_sns_topic",
] as const;

const leaf = fc.oneof(
  fc.constantFrom("*", "s3:*", "CSV", "JSON", "${aws_s3_bucket.b0.id}", "${aws_lambda_function.f0.arn}", "b0", "", "Allow", "Deny", "SSE_S3",
    "${aws_sqs_queue.b0.arn}", "${aws_sqs_queue.b0.name}", "${aws_sns_topic.b0.arn}", "alias/aws/sns", "AWS/SQS", "AWS/Lambda",
    "ApproximateNumberOfMessagesVisible", "Errors"),
  fc.boolean(),
  fc.integer(),
  fc.constant(null),
);
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom("bucket", "target_bucket", "rule", "apply_server_side_encryption_by_default", "sse_algorithm", "formats", "accounts", "regions",
        "report_setting", "report_delivery_channel", "Statement", "Effect", "Action", "NotAction", "policy", "inline_policy", "dead_letter_config",
        "target_arn", "function_name", "destination_config", "on_failure", "destination", "configuration", "enforce_workgroup_configuration",
        "result_configuration", "encryption_configuration", "encryption_option", "block_public_acls", "is_multi_region_trail",
        "enable_log_file_validation", "sqs_managed_sse_enabled", "kms_master_key_id", "retention_in_days",
        "arn", "name", "redrive_policy", "namespace", "metric_name", "dimensions", "QueueName", "FunctionName", "alarm_actions",
        "actions_enabled"),
      tie("v"),
      { maxKeys: 4 },
    ),
  ),
})).v;

const resources = fc.dictionary(fc.constantFrom(...TYPES), fc.dictionary(fc.constantFrom("b0", "f0", "x"), value, { maxKeys: 2 }), { maxKeys: 5 });
const stacks = fc.dictionary(fc.constantFrom("s1", "s2"), fc.record({ resource: resources }, { requiredKeys: [] }), { maxKeys: 2 });

describe("post-synth gate on random Terraform JSON", () => {
  it("always returns well-formed violations about existing resources", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(stacks, async (input) => {
        const vs = await evaluateTerraformPolicies(input as Record<string, unknown>);
        for (const v of vs) {
          seen.add(v.id);
          expect(v.id).toMatch(/^BAI1(0[1-9]|1[0-9]|3[0-8])$/);
          const m = /^stacks\/(.+)\/cdk\.tf\.json$/.exec(v.file ?? "");
          expect(m).not.toBeNull();
          // The resource, then (BAI136) the attribute path inside it; the fuzzed ids have no dots.
          const [, type, id] = /^resource\.([a-z0-9_]+)\.([^.]+)/.exec(v.path) ?? [];
          const stack = input[m?.[1] ?? ""] as { resource?: Record<string, Record<string, unknown>> };
          expect(stack.resource?.[type]?.[id]).toBeDefined();
          expect(v.message.length).toBeGreaterThan(0);
          expect(v.fix.length).toBeGreaterThan(0);
        }
      }),
      {
        numRuns: 300,
        // Found by this test: several blocks where one is expected made a helper function yield two values.
        examples: [[{ s1: { resource: { aws_backup_report_plan: { b0: { report_setting: [false, "*"] } } } } }]],
      },
    );
    // Not vacuous: random resources break most rules.
    expect(seen.size).toBeGreaterThanOrEqual(5);
  });
});
