import { Construct } from "constructs";
import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { SecureBucket } from "./secure-bucket";

/** A saved query, as `queries/catalog.ts` loads them. */
export interface NamedQuerySpec {
  /** Named-query name (Athena: 1-128 characters). */
  readonly name: string;
  /** One line shown in the Athena console. */
  readonly description: string;
  /** The query text. */
  readonly sql: string;
}

/** Properties of AthenaWorkspace. */
export interface AthenaWorkspaceProps {
  /** Name of the Athena workgroup (its settings are enforced on every query). */
  readonly workgroupName: string;
  /** Database the named queries run in. */
  readonly databaseName: string;
  /** Bucket created for query results (SSE-S3, expiring). */
  readonly resultsBucketName: string;
  /** Bucket receiving the results bucket's server access logs (another bucket, e.g. the reports log bucket). */
  readonly accessLogBucketName: string;
  /** AWS partition of the stack's Region. */
  readonly partition: string;
  /** Named queries to create in the workgroup. */
  readonly namedQueries: ReadonlyArray<NamedQuerySpec>;
  /** KMS key (ARN or reference) of the results: SSE_KMS in the workgroup and the bucket. Default: SSE-S3. */
  readonly kmsKeyArn?: string | null;
  /** Days query results are kept. Default: 30 (results are re-creatable). */
  readonly resultsExpirationDays?: number;
}

/** The engine the named queries are written and tested for (Trino grammar, see queries/). */
export const ATHENA_ENGINE_VERSION = "Athena engine version 3";

/**
 * Athena workgroup with an enforced, encrypted results location in its own SecureBucket, and the named
 * queries. Enforcing the workgroup configuration stops clients from writing results elsewhere or unencrypted;
 * the engine version is pinned so that an automatic upgrade cannot change what the queries mean.
 */
export class AthenaWorkspace extends Construct {
  /** The query results bucket. */
  readonly resultsBucket: SecureBucket;
  /** The workgroup. */
  readonly workgroup: AthenaWorkgroup;
  /** The named queries, in the order given. */
  readonly namedQueries: readonly AthenaNamedQuery[];

  constructor(scope: Construct, id: string, props: AthenaWorkspaceProps) {
    super(scope, id);
    this.resultsBucket = new SecureBucket(this, "results-bucket", {
      bucketName: props.resultsBucketName,
      partition: props.partition,
      lifecycle: { expirationDays: props.resultsExpirationDays ?? 30, noncurrentVersionDays: 1 },
      accessLogging: { targetBucketName: props.accessLogBucketName },
      kmsKeyArn: props.kmsKeyArn,
    });

    this.workgroup = new AthenaWorkgroup(this, "workgroup", {
      name: props.workgroupName,
      description: "Queries over AWS Backup Audit Manager reports (backup-audit-insights)",
      state: "ENABLED",
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucketName}/`,
          encryptionConfiguration: props.kmsKeyArn
            ? { encryptionOption: "SSE_KMS", kmsKeyArn: props.kmsKeyArn }
            : { encryptionOption: "SSE_S3" },
        },
      },
      dependsOn: [this.resultsBucket.bucket],
    });

    this.namedQueries = props.namedQueries.map(
      (q) =>
        new AthenaNamedQuery(this, `query-${q.name}`, {
          name: q.name,
          description: q.description,
          database: props.databaseName,
          workgroup: this.workgroup.name,
          query: q.sql,
        }),
    );
  }
}
