import { AnalyticsStack } from "../stacks/analytics-stack";
import { normalizedColumns } from "../reports/normalized-table";
import { normalizedSourceKey } from "../reports/normalized-source";
import { templateSpec, type ReportTemplate } from "../reports/templates";
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

const QUERIES = [
  { name: "failed_jobs", description: "Failed backup jobs", sql: "SELECT * FROM backup_job_report WHERE job_status = 'FAILED'" },
  { name: "largest", description: "Largest backups", sql: "SELECT 1" },
  { name: "third", description: "Third", sql: "SELECT 3" },
];
const BUCKET = "acme-backup-reports-111122223333";

function analytics(overrides: Parameters<typeof landingZone>[0] = {}): TerraformJson {
  const lz = landingZone(overrides);
  return synthStack(new AnalyticsStack(testApp(), lz, { partitionerPackage: dummyPartitionerPackage(), namedQueries: QUERIES }));
}

const tf = analytics();
const idOf = (type: string): string => {
  const ids = Object.keys(tf.resource?.[type] ?? {});
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
};

describe("ReportTables", () => {
  it("creates the database and one table per plan", () => {
    expect(onlyResource(tf, "aws_glue_catalog_database").name).toBe("backup_reports");
    // And the trail-log table: the landing zone has a trail.
    expect(resourceList(tf, "aws_glue_catalog_table").map((t) => t.name).sort()).toEqual([
      "backup_job_report",
      "cloudtrail_logs",
      "control_compliance_report",
      "copy_job_report",
      "resource_compliance_report",
      "restore_job_report",
    ]);
  });

  const templates: ReportTemplate[] = [
    "BACKUP_JOB_REPORT",
    "COPY_JOB_REPORT",
    "RESTORE_JOB_REPORT",
    "CONTROL_COMPLIANCE_REPORT",
    "RESOURCE_COMPLIANCE_REPORT",
  ];
  it.each(templates)("%s: JSON table over the normalised copies, read by name, delivery_date projected", (template) => {
    const spec = templateSpec(template);
    const table = resourceWhere(tf, "aws_glue_catalog_table", "name", spec.tableName);
    expect(table.database_name).toBe(`\${aws_glue_catalog_database.${idOf("aws_glue_catalog_database")}.name}`);
    expect(table.table_type).toBe("EXTERNAL_TABLE");
    expect(table.parameters).toEqual({
      classification: "json",
      compressionType: "gzip",
      "projection.enabled": "true",
      "projection.delivery_date.type": "date",
      "projection.delivery_date.format": "yyyy-MM-dd",
      "projection.delivery_date.range": "2021-01-01,NOW",
      "projection.delivery_date.interval": "1",
      "projection.delivery_date.interval.unit": "DAYS",
      // `$${` is Terraform's literal `${`: Athena receives s3://…/delivery_date=${delivery_date}/
      "storage.location.template": `s3://${BUCKET}/normalized/${spec.tableName}/delivery_date=$\${delivery_date}/`,
    });
    const sd = table.storage_descriptor as Record<string, unknown>;
    expect(sd.location).toBe(`s3://${BUCKET}/normalized/${spec.tableName}/`);
    expect(sd.input_format).toBe("org.apache.hadoop.mapred.TextInputFormat");
    expect(sd.output_format).toBe("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
    expect(sd.ser_de_info).toEqual({
      serialization_library: "org.openx.data.jsonserde.JsonSerDe",
      parameters: { "case.insensitive": "false", "ignore.malformed.json": "false" },
    });
    const columns = sd.columns as Array<{ name: string; type: string }>;
    expect(columns).toEqual(normalizedColumns(template).map((c) => ({ name: c.name, type: c.type, comment: c.comment })));
    // Every canonical column (enhanced-context and organization-only ones included), then lineage, then the map.
    expect(columns.map((c) => c.name)).toEqual([
      ...spec.columns.map((c) => c.name),
      "source_key", "delivery_scope", "delivery_region", "report_plan", "part_number", "header_signature", "unknown_columns",
    ]);
    expect(columns.slice(-2)).toEqual([
      expect.objectContaining({ name: "header_signature", type: "string" }),
      expect.objectContaining({ name: "unknown_columns", type: "map<string,string>" }),
    ]);
    expect(table.partition_keys).toEqual([{ name: "delivery_date", type: "string", comment: expect.stringContaining("YYYY-MM-DD") }]);
    // The partitioner's recorded sources live beside the table folders, never under a table's location or
    // projected partition: the SerDe reads only the copies.
    const copyKey = `normalized/${spec.tableName}/delivery_date=2026-03-15/crossaccount.crossregion.p.${spec.fileNamePrefix}p_1.json.gz`;
    const recordUrl = `s3://${BUCKET}/${normalizedSourceKey(copyKey, "normalized")}`;
    expect(recordUrl.startsWith(sd.location as string)).toBe(false);
    expect(recordUrl.startsWith(`s3://${BUCKET}/normalized/${spec.tableName}/delivery_date=2026-03-15/`)).toBe(false);
    expect(`s3://${BUCKET}/${copyKey}`.startsWith(sd.location as string)).toBe(true);
  });

  it("lists the enhanced-context and organization-only backup job columns", () => {
    const table = resourceWhere(tf, "aws_glue_catalog_table", "name", "backup_job_report");
    const names = ((table.storage_descriptor as Record<string, unknown>).columns as Array<{ name: string }>).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["path_to_root", "account_id", "resource_name", "backup_plan_name", "vault_type", "vault_lock_status"]));
  });

  it("follows a keyPrefixRoot into the event pattern, REPORT_TABLES and the read grant", () => {
    const input = exampleInput();
    const rooted = analytics({ reports: { ...input.reports, keyPrefixRoot: "audit/reports" } });
    const read = statementBySid(onlyResource(rooted, "aws_iam_role_policy").policy, "ReadRawReports");
    expect(read.Resource).toEqual(["BackupJob", "ControlCompliance", "CopyJob", "ResourceCompliance", "RestoreJob"].map(
      (p) => `arn:aws:s3:::${BUCKET}/audit/reports/${p}/*`,
    ));
    const env = (onlyResource(rooted, "aws_lambda_function").environment as { variables: Record<string, string> }).variables;
    expect(JSON.parse(env.REPORT_TABLES)[1]).toEqual({
      template: "COPY_JOB_REPORT",
      keyPrefix: "audit/reports/CopyJob",
      tableName: "copy_job_report",
    });
    const pattern = JSON.parse(onlyResource(rooted, "aws_cloudwatch_event_rule").event_pattern as string);
    expect(pattern.detail.object.key[1]).toEqual({ prefix: "audit/reports/CopyJob/" });
  });
});

describe("PartitionerFunction", () => {
  const fn = onlyResource(tf, "aws_lambda_function");
  const dlqId = Object.entries(tf.resource?.aws_sqs_queue ?? {}).find(([, q]) => q.name === "acme-prod-report-partitioner-dlq")![0];
  const eventDlqId = Object.entries(tf.resource?.aws_sqs_queue ?? {}).find(
    ([, q]) => q.name === "acme-prod-report-partitioner-events-dlq",
  )![0];
  const ruleArn = `\${aws_cloudwatch_event_rule.${idOf("aws_cloudwatch_event_rule")}.arn}`;

  it("runs the bundled handler on nodejs22.x / arm64 with 300 s and 512 MB", () => {
    expect(fn).toMatchObject({
      function_name: "acme-prod-report-partitioner",
      runtime: "nodejs22.x",
      handler: "index.handler",
      architectures: ["arm64"],
      timeout: 300,
      memory_size: 512,
      role: `\${aws_iam_role.${idOf("aws_iam_role")}.arn}`,
    });
    expect(fn.filename).toMatch(/^assets\/.+\/partitioner\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${String(fn.filename)}")}`);
  });

  it("gets exactly the documented environment", () => {
    expect(fn.environment).toEqual({
      variables: {
        REPORTS_BUCKET: BUCKET,
        NORMALIZED_PREFIX: "normalized",
        POWERTOOLS_SERVICE_NAME: "backup-audit-partitioner",
        POWERTOOLS_METRICS_NAMESPACE: "BackupAuditInsights",
        POWERTOOLS_LOG_LEVEL: "INFO",
        REPORT_TABLES: JSON.stringify([
          { template: "BACKUP_JOB_REPORT", keyPrefix: "BackupJob", tableName: "backup_job_report" },
          { template: "COPY_JOB_REPORT", keyPrefix: "CopyJob", tableName: "copy_job_report" },
          { template: "RESTORE_JOB_REPORT", keyPrefix: "RestoreJob", tableName: "restore_job_report" },
          { template: "CONTROL_COMPLIANCE_REPORT", keyPrefix: "ControlCompliance", tableName: "control_compliance_report" },
          { template: "RESOURCE_COMPLIANCE_REPORT", keyPrefix: "ResourceCompliance", tableName: "resource_compliance_report" },
        ]),
      },
    });
  });

  it("sends failed invocations once, to an encrypted 14-day queue of their own (on-failure destination only)", () => {
    // Not also dead_letter_config: Lambda would deliver each failure to both paths.
    expect(fn).not.toHaveProperty("dead_letter_config");
    expect(dlqId).not.toBe(eventDlqId);
    expect(onlyResource(tf, "aws_lambda_function_event_invoke_config")).toEqual({
      function_name: `\${aws_lambda_function.${idOf("aws_lambda_function")}.function_name}`,
      maximum_retry_attempts: 2,
      destination_config: { on_failure: { destination: `\${aws_sqs_queue.${dlqId}.arn}` } },
    });
    for (const q of resourceList(tf, "aws_sqs_queue")) {
      expect(q).toMatchObject({ sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
    }
  });

  it("keeps its logs in its own log group with the configured retention", () => {
    expect(onlyResource(tf, "aws_cloudwatch_log_group")).toEqual({
      name: "/aws/lambda/acme-prod-report-partitioner",
      retention_in_days: 365,
    });
    expect(fn.depends_on).toContain(`aws_cloudwatch_log_group.${idOf("aws_cloudwatch_log_group")}`);
  });

  it("matches Object Created events of the reports bucket under the plans' prefixes", () => {
    const rule = onlyResource(tf, "aws_cloudwatch_event_rule");
    expect(rule.name).toBe("acme-prod-report-partitioner-objects");
    expect(rule.event_bus_name).toBeUndefined(); // the default bus, where S3 sends its events
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: ["aws.s3"],
      "detail-type": ["Object Created"],
      detail: {
        bucket: { name: [BUCKET] },
        object: {
          key: [
            { prefix: "BackupJob/" },
            { prefix: "CopyJob/" },
            { prefix: "RestoreJob/" },
            { prefix: "ControlCompliance/" },
            { prefix: "ResourceCompliance/" },
          ],
        },
      },
    });
  });

  it("targets the function with its own DLQ and retry policy; only that rule may invoke it", () => {
    expect(onlyResource(tf, "aws_cloudwatch_event_target")).toEqual({
      rule: `\${aws_cloudwatch_event_rule.${idOf("aws_cloudwatch_event_rule")}.name}`,
      target_id: "partitioner",
      arn: `\${aws_lambda_function.${idOf("aws_lambda_function")}.arn}`,
      dead_letter_config: { arn: `\${aws_sqs_queue.${eventDlqId}.arn}` },
      retry_policy: { maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 },
    });
    expect(onlyResource(tf, "aws_lambda_permission")).toEqual({
      statement_id: "AllowEventBridgeReportObjects",
      action: "lambda:InvokeFunction",
      function_name: `\${aws_lambda_function.${idOf("aws_lambda_function")}.function_name}`,
      principal: "events.amazonaws.com",
      source_arn: ruleArn,
    });
    const queuePolicy = onlyResource(tf, "aws_sqs_queue_policy");
    expect(queuePolicy.queue_url).toBe(`\${aws_sqs_queue.${eventDlqId}.url}`);
    expect(statementsOf(queuePolicy.policy)).toEqual([
      {
        Sid: "EventBridgeDeadLetters",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: `\${aws_sqs_queue.${eventDlqId}.arn}`,
        Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
      },
    ]);
  });

  it("has a least-privilege role: read the raw prefixes, write the normalised prefix; its own logs; its DLQ", () => {
    const role = onlyResource(tf, "aws_iam_role");
    expect(statementsOf(role.assume_role_policy)).toEqual([
      { Sid: "LambdaAssume", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const policy = onlyResource(tf, "aws_iam_role_policy").policy;
    expect(statementBySid(policy, "ReadRawReports")).toEqual({
      Sid: "ReadRawReports",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: ["BackupJob", "ControlCompliance", "CopyJob", "ResourceCompliance", "RestoreJob"].map(
        (p) => `arn:aws:s3:::${BUCKET}/${p}/*`,
      ),
    });
    expect(statementBySid(policy, "WriteNormalizedCopies")).toEqual({
      Sid: "WriteNormalizedCopies",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: `arn:aws:s3:::${BUCKET}/normalized/*`,
    });
    expect(statementBySid(policy, "OwnLogGroup")).toEqual({
      Sid: "OwnLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/acme-prod-report-partitioner:*",
    });
    expect(statementBySid(policy, "DeadLetterQueue")).toEqual({
      Sid: "DeadLetterQueue",
      Effect: "Allow",
      Action: "sqs:SendMessage",
      Resource: `\${aws_sqs_queue.${dlqId}.arn}`,
    });
    // No KMS action without a customer managed key, no Glue action at all (partitions are projected).
    expect(statementsOf(policy).map((st) => st.Sid)).toEqual(["ReadRawReports", "WriteNormalizedCopies", "OwnLogGroup", "DeadLetterQueue"]);
  });

  it("may use the reports bucket's customer managed key, and only that key, when one is configured", () => {
    const input = exampleInput();
    const key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const withKey = analytics({ reports: { ...input.reports, kmsKeyArn: key } });
    expect(statementBySid(onlyResource(withKey, "aws_iam_role_policy").policy, "ReportsBucketKey")).toEqual({
      Sid: "ReportsBucketKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: key,
    });
  });

  it("never allows a wildcard action or resource in any IAM or resource policy of the stack", () => {
    const policies: Array<[string, unknown]> = [];
    for (const [type, , body] of allResources(tf)) {
      if (type === "aws_iam_role") policies.push([type, body.assume_role_policy]);
      if ("policy" in body) policies.push([type, body.policy]);
    }
    // Trust policy, role policy, event-DLQ policy, results bucket policy, alarm key and alarm topic policies.
    expect(policies).toHaveLength(6);
    for (const [type, p] of policies) {
      for (const s of statementsOf(p).filter((st) => st.Effect === "Allow")) {
        const actions = ([] as string[]).concat(s.Action);
        expect(actions.filter((a) => a === "*" || a.endsWith(":*"))).toEqual([]);
        const resources = s.Resource === undefined ? [] : ([] as string[]).concat(s.Resource);
        // In a key policy `*` is the key itself, the only form KMS accepts.
        if (type !== "aws_kms_key_policy") expect(resources).not.toContain("*");
      }
    }
  });
});

describe("without report plans", () => {
  it("refuses to build a partitioner that nothing would trigger", () => {
    // The config schema needs one template, so only a landing zone built in code gets here.
    const lz = landingZone();
    const none = { ...lz, reports: { ...lz.reports, plans: [] } };
    expect(() => new AnalyticsStack(testApp(), none, { partitionerPackage: dummyPartitionerPackage(), namedQueries: QUERIES })).toThrow(
      /no report tables/,
    );
  });
});

describe("names", () => {
  it("stay within AWS limits (64 characters) for the longest landing-zone name", () => {
    const long = analytics({ name: "a".repeat(32) });
    const names = [
      onlyResource(long, "aws_lambda_function").function_name,
      onlyResource(long, "aws_iam_role").name,
      onlyResource(long, "aws_cloudwatch_event_rule").name,
    ] as string[];
    for (const n of names) expect(n.length).toBeLessThanOrEqual(64);
    for (const q of resourceList(long, "aws_sqs_queue")) expect((q.name as string).length).toBeLessThanOrEqual(80);
  });
});

describe("AthenaWorkspace", () => {
  it("enforces an SSE-S3 encrypted results location in the results bucket", () => {
    expect(onlyResource(tf, "aws_athena_workgroup")).toMatchObject({
      name: "backup-reports",
      state: "ENABLED",
      configuration: {
        enforce_workgroup_configuration: true,
        publish_cloudwatch_metrics_enabled: true,
        result_configuration: {
          output_location: `s3://${BUCKET}-athena/`,
          encryption_configuration: { encryption_option: "SSE_S3" },
        },
        engine_version: { selected_engine_version: "Athena engine version 3" },
      },
    });
  });

  it("stores results in a SecureBucket that logs to the reports access-log bucket", () => {
    expect(onlyResource(tf, "aws_s3_bucket").bucket).toBe(`${BUCKET}-athena`);
    expect(onlyResource(tf, "aws_s3_bucket_logging")).toMatchObject({
      bucket: `${BUCKET}-athena`,
      target_bucket: "acme-backup-reports-logs-111122223333",
    });
    expect(onlyResource(tf, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(tf, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  it("creates one named query per catalog entry in the database and workgroup", () => {
    const queries = resourceList(tf, "aws_athena_named_query");
    expect(queries).toHaveLength(QUERIES.length);
    expect(resourceWhere(tf, "aws_athena_named_query", "name", "failed_jobs")).toEqual({
      name: "failed_jobs",
      description: "Failed backup jobs",
      database: "backup_reports",
      workgroup: `\${aws_athena_workgroup.${idOf("aws_athena_workgroup")}.name}`,
      query: QUERIES[0].sql,
    });
  });
});
