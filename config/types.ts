import type { ReportTemplate } from "../reports/templates";

/**
 * The normalised landing zone: every default applied, every derived name computed. This is what the stacks
 * build from and what the Rego policies see as `input.landingZones[_]`. Field paths (`fieldPaths`) point back
 * into the user's YAML so that a violation names the line to fix.
 */

export type ReportFormat = "CSV" | "JSON";

export interface ReportScope {
  accounts: string[];
  organizationalUnits: string[];
  regions: string[];
}

export interface NormalizedReportPlan {
  template: ReportTemplate;
  name: string;
  description: string;
  /** Full S3 key prefix, without leading or trailing slash (keyPrefixRoot/templatePrefix). */
  keyPrefix: string;
  formats: ReportFormat[];
  scope: ReportScope;
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

export interface NormalizedLandingZone {
  name: string;
  /** The config file this landing zone came from (absolute path, or `<embedded example>`). */
  sourceFile: string;
  managementAccountId: string;
  organizationId: string;
  homeRegion: string;
  tags: Record<string, string>;
  deployment: {
    roleName: string;
    backend: { s3: { bucket: string; keyPrefix: string; region: string; dynamodbTable: string | null } } | null;
  };
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
  };
  analytics: {
    enabled: boolean;
    databaseName: string;
    workgroup: string;
    resultsBucketName: string;
    logRetentionDays: number;
  };
  auditTrail: {
    enabled: boolean;
    name: string;
    accountId: string;
    region: string;
    bucketName: string;
    accessLogBucketName: string;
    organizationTrail: boolean;
    logRetentionDays: number;
  } | null;
  buckets: BucketDescriptor[];
  /** Alarm notifications (issue 10). */
  alerts: { emails: string[] };
}

/** The policy gate's input document: all landing zones of one run (some rules count across them). */
export interface PolicyInput {
  landingZones: NormalizedLandingZone[];
}
