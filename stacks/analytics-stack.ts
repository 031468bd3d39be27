import type { Construct } from "constructs";
import type { NormalizedLandingZone } from "../config/types";
import { AccountStack } from "./account-stack";
import { AlarmTopic } from "./constructs/alarm-topic";
import { AthenaWorkspace, type NamedQuerySpec } from "./constructs/athena-workspace";
import { FailureAlarms } from "./constructs/failure-alarms";
import type { CustomerManagedKey } from "./constructs/kms-key";
import { PartitionerFunction } from "./constructs/partitioner-function";
import { ReportTables } from "./constructs/report-tables";
import { ChatbotSlackChannel } from "./constructs/chatbot-slack";
import { JobAlertHub } from "./constructs/job-alert-hub";
import { jobEventPattern } from "../alerts/job-event-pattern";
import { TrailTable } from "./constructs/trail-table";
import { athenaResultsKeyStatement, reportsKeyAlias } from "./key-policies";
import { DEFAULT_NORMALIZED_PREFIX } from "../reports/normalized-table";
import { REPORT_DRIFT_METRIC } from "../reports/drift-metric";

/** What the analytics stack needs besides the landing zone. */
export interface AnalyticsStackProps {
  /** Partitioner deployment package (zip with `index.js`), written by `npm run build:lambda`. */
  readonly partitionerPackage: string;
  /** Athena named queries to create (queries/*.sql whose tables this landing zone has). */
  readonly namedQueries: ReadonlyArray<NamedQuerySpec>;
  /** Queries over the trail-log table (queries/trail/), created when the landing zone has a trail. */
  readonly trailQueries?: ReadonlyArray<NamedQuerySpec>;
  /** Job-alerts formatter package (zip with `index.js`); required when the landing zone has `alerts.jobs`. */
  readonly jobAlertsPackage?: string;
}

/** Name of the partitioner Lambda of a landing zone. */
export function partitionerFunctionName(lz: NormalizedLandingZone): string {
  return `${lz.name}-report-partitioner`;
}

/**
 * Analytics stack, in the reports bucket's account and Region (S3 sends its EventBridge events to the
 * default bus of the bucket's own account and Region): the partitioner (normalises each report CSV into the
 * same bucket) with its failure alarms and their SNS topic, name-mapped Glue tables over the normalised copies,
 * the Athena workgroup and named queries. Bucket names come from the config, not from cross-stack references, so the stack reads
 * no remote state; the landing zone orders it after the reporting stack, which owns those buckets.
 */
export class AnalyticsStack extends AccountStack {
  /** The Glue database and one table per report template. */
  readonly tables: ReportTables;
  /** The Lambda that adds a Glue partition for each delivered report. */
  readonly partitioner: PartitionerFunction;
  /** The Athena workgroup, its results bucket and the named queries. */
  readonly athena: AthenaWorkspace;
  /** The encrypted SNS topic the failure alarms notify (`alerts.emails` subscribed). */
  readonly alarmTopic: AlarmTopic;
  /** CloudWatch alarms on the partitioner's queues, errors, failure-path failures and header drift. */
  readonly alarms: FailureAlarms;
  /** The Athena results key, when the landing zone creates keys and names none. */
  readonly resultsKey?: CustomerManagedKey;
  /** The `cloudtrail_logs` table, when the landing zone has a trail (created or existing). */
  readonly trailTable?: TrailTable;
  /** The central job-alert bus, queue and formatter (with `alerts.jobs`), publishing to `alarmTopic`. */
  readonly jobAlerts?: JobAlertHub;
  /** Alarms on the job-alert path's dead-letter queues and the formatter's errors. */
  readonly jobAlertAlarms?: FailureAlarms;
  /** The AWS Chatbot Slack channel on the alert topic, when `alerts.jobs.slack` names one. */
  readonly chatChannel?: ChatbotSlackChannel;

  constructor(scope: Construct, lz: NormalizedLandingZone, props: AnalyticsStackProps) {
    super(scope, { landingZone: lz, kind: "analytics", accountId: lz.reports.accountId, region: lz.reports.region });
    const a = lz.analytics;

    this.tables = new ReportTables(this, "report-tables", {
      databaseName: a.databaseName,
      bucketName: lz.reports.bucketName,
      normalizedPrefix: DEFAULT_NORMALIZED_PREFIX,
      plans: lz.reports.plans,
    });

    this.partitioner = new PartitionerFunction(this, "partitioner", {
      functionName: partitionerFunctionName(lz),
      packageFile: props.partitionerPackage,
      accountId: this.accountId,
      region: this.region,
      partition: this.partition,
      tables: this.tables.refs,
      bucketName: lz.reports.bucketName,
      normalizedPrefix: DEFAULT_NORMALIZED_PREFIX,
      kmsKeyArn: lz.reports.kmsKeyArn,
      // The reports key the reporting stack creates: known here by its alias only.
      kmsKeyAlias: !lz.reports.kmsKeyArn && lz.encryption.createKeys ? `alias/${reportsKeyAlias(lz)}` : null,
      logRetentionDays: a.logRetentionDays,
    });

    // Failures you can see (docs/operations.md): both dead-letter queues, the function's errors, header drift.
    this.alarmTopic = new AlarmTopic(this, "alarm-topic", {
      topicName: `${lz.name}-backup-audit-alarms`,
      accountId: this.accountId,
      region: this.region,
      partition: this.partition,
      emails: lz.alerts.emails,
    });
    const p = this.partitioner;
    this.alarms = new FailureAlarms(this, "failure-alarms", {
      namePrefix: partitionerFunctionName(lz),
      topicArn: this.alarmTopic.topic.arn,
      functionName: p.function.functionName,
      ruleName: p.rule.name,
      queues: [
        { label: "function-failures", queueName: p.deadLetterQueue.name, meaning: "report events the function failed on after its retries" },
        { label: "delivery-failures", queueName: p.eventDeadLetterQueue.name, meaning: "report events EventBridge could not deliver" },
      ],
      metrics: [
        {
          label: "header-drift",
          namespace: REPORT_DRIFT_METRIC.namespace,
          metricName: REPORT_DRIFT_METRIC.metricName,
          meaning: "a report arrived whose header the header table does not fully describe (reports/drift-metric.ts)",
        },
      ],
    });

    // Central job alerts (issue 18): the member accounts' rules forward to this bus; the formatter publishes to the
    // same topic as the failure alarms, so `alerts.emails` hears both.
    const jobs = lz.alerts.jobs;
    if (jobs) {
      if (!props.jobAlertsPackage) throw new Error(`AnalyticsStack ${lz.name}: alerts.jobs is enabled but no job-alerts package was given (run \`npm run build\`)`);
      const hub = new JobAlertHub(this, "job-alerts", {
        busName: jobs.busName,
        accountId: this.accountId,
        region: this.region,
        partition: this.partition,
        organizationId: lz.organizationId,
        eventPattern: jobEventPattern(jobs.jobTypes, jobs.states),
        archiveRetentionDays: jobs.archiveRetentionDays,
        topicArn: this.alarmTopic.topic.arn,
        topicKeyArn: this.alarmTopic.key.arn,
        packageFile: props.jobAlertsPackage,
        landingZone: lz.name,
        accountNames: jobs.accountNames,
        silence: jobs.silence,
        digestWindowSeconds: jobs.digestWindowSeconds,
        chatFormat: jobs.slack !== null,
        logRetentionDays: a.logRetentionDays,
      });
      this.jobAlerts = hub;
      this.jobAlertAlarms = new FailureAlarms(this, "job-alert-alarms", {
        namePrefix: hub.function.functionName,
        topicArn: this.alarmTopic.topic.arn,
        functionName: hub.function.functionName,
        queues: [
          { label: "undelivered-alerts", queueName: hub.deadLetterQueue.name, meaning: "job alerts the formatter failed to publish after its retries" },
          { label: "delivery-failures", queueName: hub.eventDeadLetterQueue.name, meaning: "job alerts EventBridge could not put on the formatter's queue" },
        ],
      });
      if (jobs.slack) {
        this.chatChannel = new ChatbotSlackChannel(this, "job-alerts-slack", {
          name: jobs.busName,
          workspaceId: jobs.slack.workspaceId,
          channelId: jobs.slack.channelId,
          topicArns: [this.alarmTopic.topic.arn],
          partition: this.partition,
        });
      }
    }

    // AWS Backup's CloudTrail events, queryable beside the reports (the trail bucket grants this account read).
    const trail = lz.auditTrail;
    if (trail?.bucketName) {
      this.trailTable = new TrailTable(this, "trail-table", {
        databaseName: this.tables.database.name,
        location: {
          bucketName: trail.bucketName,
          keyPrefix: trail.keyPrefix,
          organizationId: trail.organizationTrail ? lz.organizationId : null,
        },
        accounts: trail.queryAccounts,
        regions: trail.queryRegions,
        retentionDays: trail.logRetentionDays,
      });
    }

    const resultsKey = this.keyFor("athena-results-key", a.kmsKeyArn, {
      alias: `${lz.name}-athena-results`,
      description: `Athena query results of ${lz.name} (backup-audit-insights)`,
      statements: [athenaResultsKeyStatement(this.partition, this.accountId, this.region)],
    });
    this.resultsKey = resultsKey.key;

    this.athena = new AthenaWorkspace(this, "athena", {
      kmsKeyArn: resultsKey.arn,
      workgroupName: a.workgroup,
      databaseName: a.databaseName,
      resultsBucketName: a.resultsBucketName,
      accessLogBucketName: lz.reports.accessLogBucketName,
      partition: this.partition,
      namedQueries: this.trailTable ? [...props.namedQueries, ...(props.trailQueries ?? [])] : props.namedQueries,
    });
  }
}
