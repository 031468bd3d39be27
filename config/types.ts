import type { ReportTemplate } from "../reports/templates";

/**
 * The normalised landing zone: every default applied, every derived name computed. This is what the stacks
 * build from and what the Rego policies see as `input.landingZones[_]`. Field paths (`fieldPaths`) point back
 * into the user's YAML so that a violation names the line to fix.
 */

export type ReportFormat = "CSV" | "JSON";

/** Which accounts, OUs and Regions a report plan covers. */
export interface ReportScope {
  /** Account ids, or `ROOT` for the whole organization. */
  accounts: string[];
  /** Organizational unit ids (`ou-...`). */
  organizationalUnits: string[];
  /** Region names, or `*` for every Region. */
  regions: string[];
}

/** One report plan with its defaults applied. */
export interface NormalizedReportPlan {
  /** The AWS Backup report template. */
  template: ReportTemplate;
  /** Report plan name (unique per account). */
  name: string;
  /** Report plan description. */
  description: string;
  /** Full S3 key prefix, without leading or trailing slash (keyPrefixRoot/templatePrefix). */
  keyPrefix: string;
  /** Delivery formats (CSV only for organization reports). */
  formats: ReportFormat[];
  /** Accounts, OUs and Regions covered. */
  scope: ReportScope;
  /** Frameworks a compliance report covers. */
  frameworkArns: string[];
  /** Present when the config sets it; Terraform computes it otherwise. */
  numberOfFrameworks: number | null;
  /** True when the plan reports on more than the bucket account and Region (accounts, OUs, `*` or >1 Region). */
  organizationScope: boolean;
  /** True when the plan covers accounts other than the bucket account (accounts list, ROOT or OUs). */
  crossAccount: boolean;
  /** Config path of each attribute, for messages (e.g. `reports.overrides.BACKUP_JOB_REPORT.formats`). */
  fieldPaths: { name: string; keyPrefix: string; formats: string; scope: string; frameworkArns: string };
}

export interface NormalizedFrameworkControl {
  /** Control name, e.g. BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK. */
  name: string;
  parameters: Record<string, string>;
  scope: { complianceResourceIds?: string[]; complianceResourceTypes?: string[]; tags?: Record<string, string> } | null;
}

export interface NormalizedFramework {
  name: string;
  description: string;
  controls: NormalizedFrameworkControl[];
}

/** Every S3 bucket the landing zone creates, with its access-log target (null: it is a log target itself). */
export interface BucketDescriptor {
  role: "reports" | "reportsAccessLog" | "athenaResults" | "trail" | "trailAccessLog";
  name: string;
  accountId: string;
  region: string;
  logTarget: string | null;
  fieldPath: string;
}

/** The normalised landing zone (see the comment at the top of this file). */
export interface NormalizedLandingZone {
  /** Landing-zone name; prefixes every stack name. */
  name: string;
  /** The config file this landing zone came from (absolute path, or `<embedded example>`). */
  sourceFile: string;
  /** The organization's management account (the pipeline's credentials). */
  managementAccountId: string;
  /** Organization id (`o-...`). */
  organizationId: string;
  /** Region of the organization, reporting, analytics and trail stacks. */
  homeRegion: string;
  /** Default tags on every resource. */
  tags: Record<string, string>;
  /** Role assumed in target accounts and the Terraform state backend (null: local state). */
  deployment: {
    roleName: string;
    backend: { s3: { bucket: string; keyPrefix: string; region: string; dynamodbTable: string | null } } | null;
  };
  /** Organization settings: trusted access, delegated administrator, global settings. */
  organization: {
    trustedAccess: string[];
    manageTrustedAccess: boolean;
    delegatedAdminAccountId: string | null;
    globalSettings: {
      isCrossAccountBackupEnabled: boolean;
      isMpaEnabled: boolean;
      isDelegatedAdministratorEnabled: boolean;
    } | null;
  };
  /** The reports bucket, its access-log bucket, the report plans and frameworks. */
  reports: {
    accountId: string;
    region: string;
    bucketName: string;
    accessLogBucketName: string;
    createServiceLinkedRole: boolean;
    kmsKeyArn: string | null;
    retention: { reportDays: number; noncurrentVersionDays: number; accessLogDays: number };
    plans: NormalizedReportPlan[];
    frameworks: NormalizedFramework[];
    /** The frameworks deployed into member accounts by a StackSet; null: only in the reports account. */
    memberFrameworks: NormalizedMemberFrameworks | null;
  };
  /** Glue database, Athena workgroup and results bucket, partitioner log retention. */
  analytics: {
    enabled: boolean;
    databaseName: string;
    workgroup: string;
    resultsBucketName: string;
    logRetentionDays: number;
    kmsKeyArn: string | null;
  };
  /** Customer-managed keys: create them for every store that names no key of its own. */
  encryption: { createKeys: boolean };
  /** The CloudTrail trail and its buckets, or an existing trail's bucket; null without a trail. */
  auditTrail: NormalizedAuditTrail | null;
  /** Every bucket the landing zone creates, for the naming and logging policies. */
  buckets: BucketDescriptor[];
  /** Alarm notifications (issue 10) and the central backup job alerts (issue 18, null when off). */
  alerts: { emails: string[]; jobs: NormalizedJobAlerts | null };
}

/**
 * Central backup job alerts: a service-managed StackSet puts an EventBridge rule into every member account and
 * Region (`regions` × `organizationalUnits`) that forwards AWS Backup job state changes to `busName` in the
 * reports account and Region, where a function turns them into messages on the alarm topic. The StackSet's
 * administrator, OUs, Regions and rollout follow the member frameworks' unless the section names its own.
 */
export interface NormalizedJobAlerts extends NormalizedStackSetPlacement {
  /** Job kinds (BACKUP, COPY, RESTORE) the member rules forward. */
  jobTypes: Array<"BACKUP" | "COPY" | "RESTORE">;
  /** Job states the member rules forward (COMPLETED: only with a status message). */
  states: Array<"FAILED" | "ABORTED" | "EXPIRED" | "PARTIAL" | "COMPLETED">;
  /** The central bus's name. */
  busName: string;
  /** The central bus's account: the reports account. */
  busAccountId: string;
  /** The central bus's Region: the reports Region. */
  busRegion: string;
  /** Days the central bus's archive keeps each event. */
  archiveRetentionDays: number;
  /** 0: one message per job; otherwise the SQS batching window of the formatter, one message per window. */
  digestWindowSeconds: number;
  /** Readable account names by id, for the messages. */
  accountNames: Record<string, string>;
  /** Known failures not alerted on until a day (inclusive, UTC). */
  silence: Array<{ resourceArn?: string; account?: string; until: string; reason: string }>;
  /** AWS Chatbot Slack channel configuration, when named. */
  slack: { workspaceId: string; channelId: string } | null;
}

/**
 * Where a service-managed StackSet of the landing zone is administered and what it targets: created by
 * `administratorAccountId` (the management account, or a StackSets delegated administrator with
 * `callAs: DELEGATED_ADMIN`), one stack instance resource per Region, into every account of the target OUs.
 */
export interface NormalizedStackSetPlacement {
  /** StackSet name (`<landing zone>-backup-frameworks` or `<landing zone>-backup-job-alerts` by default). */
  stackSetName: string;
  /** Account that owns the StackSet: the management account or a StackSets delegated administrator. */
  administratorAccountId: string;
  /** `SELF` from the management account, `DELEGATED_ADMIN` from a delegated administrator. */
  callAs: "SELF" | "DELEGATED_ADMIN";
  /** OU ids to deploy to; empty with `targetsRoot`: the organization root. */
  organizationalUnits: string[];
  /** True when the report scope is the whole organization (ROOT) and no OU was named. */
  targetsRoot: boolean;
  /** Regions of the stack instances, one instance resource each. */
  regions: string[];
  /** Rollout of the StackSet's updates and of the stack instances: percentages of the target accounts per Region. */
  operationPreferences: StackSetOperationPreferences;
  /** About how many accounts the target OUs hold: sizes the stack instances' timeouts. */
  expectedAccounts: number;
}

/** The frameworks StackSet (service-managed, automatic deployment) into the report scope's OUs and Regions. */
export type NormalizedMemberFrameworks = NormalizedStackSetPlacement;

/** CloudFormation StackSet operation preferences, in percent of the target accounts per Region. */
export interface StackSetOperationPreferences {
  /** Accounts deployed at a time. */
  maxConcurrentPercentage: number;
  /** Accounts that may fail before CloudFormation stops the operation in that Region. */
  failureTolerancePercentage: number;
}

/**
 * The audit trail: the trail in `accountId` and its buckets in `bucketAccountId` (Control Tower: management and
 * log archive), or, with `existing`, only the bucket of a trail someone else runs (nothing is created for it).
 */
export interface NormalizedAuditTrail {
  enabled: boolean;
  /** False: the landing zone names an existing trail's bucket and creates neither trail nor bucket. */
  create: boolean;
  name: string;
  accountId: string;
  region: string;
  bucketAccountId: string;
  bucketRegion: string;
  /** Null only when the config leaves it out (reported by BAI035). */
  bucketName: string | null;
  accessLogBucketName: string | null;
  /** Key prefix above `AWSLogs/` ("" for the trail created here). */
  keyPrefix: string;
  organizationTrail: boolean;
  logRetentionDays: number;
  kmsKeyArn: string | null;
  /** Config path of the bucket name (`auditTrail.bucketName` or `auditTrail.existingTrail.bucketName`). */
  bucketFieldPath: string;
  /** Accounts and Regions the trail-log table (`cloudtrail_logs`) projects: a query reads only these. */
  queryAccounts: string[];
  queryRegions: string[];
  /** Fields of `auditTrail` that are set but mean nothing beside `existingTrail` (reported by BAI036). */
  ignoredFields: string[];
  /**
   * Roles of the analytics account the trail bucket's policy lets read the log files; empty: any principal of that
   * account, but only through Athena (`aws:CalledVia`).
   */
  readerRoleArns: string[];
}

/** The policy gate's input document: all landing zones of one run (some rules count across them). */
export interface PolicyInput {
  landingZones: NormalizedLandingZone[];
}
