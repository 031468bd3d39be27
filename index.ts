/**
 * backup-audit-insights as a construct library: `import { LandingZone } from "backup-audit-insights"` in your
 * own cdktf app. See the README, "Use it as a library".
 */

// One landing zone's stacks from a typed config, gated by the policies at synth.
export { LandingZone, type LandingZoneProps } from "./stacks/landing-zone-construct";
export type { LandingZoneStacks } from "./stacks/landing-zone";
export { OrganizationStack } from "./stacks/organization-stack";
export { ReportingStack } from "./stacks/reporting-stack";
export { AnalyticsStack, type AnalyticsStackProps } from "./stacks/analytics-stack";
export { AuditTrailStack } from "./stacks/audit-trail-stack";
export { MemberFrameworksStack } from "./stacks/member-frameworks-stack";
export { JobAlertMembersStack } from "./stacks/job-alert-members-stack";
export { TrailBucketStack } from "./stacks/trail-bucket-stack";
export { AccountStack, type AccountStackProps, type StackKind } from "./stacks/account-stack";

// The building blocks the stacks compose.
export { AlarmTopic, type AlarmTopicProps } from "./stacks/constructs/alarm-topic";
export { AthenaWorkspace, type AthenaWorkspaceProps, type NamedQuerySpec } from "./stacks/constructs/athena-workspace";
export { BackupFrameworks, type BackupFrameworksProps } from "./stacks/constructs/backup-frameworks";
export { BackupTrail, type BackupTrailProps } from "./stacks/constructs/backup-trail";
export { FailureAlarms, type FailureAlarmsProps, type WatchedMetric, type WatchedQueue } from "./stacks/constructs/failure-alarms";
export { CustomerManagedKey, type CustomerManagedKeyProps } from "./stacks/constructs/kms-key";
export { FrameworkStackSet, type FrameworkStackSetProps } from "./stacks/constructs/framework-stack-set";
export {
  serviceManagedStackSet,
  stackInstanceTimeoutMinutes,
  type ServiceManagedStackSetProps,
  type StackSetPlacement,
} from "./stacks/constructs/service-managed-stack-set";
export { TrailBucket, type TrailBucketProps } from "./stacks/constructs/trail-bucket";
export { JobAlertStackSet, type JobAlertStackSetProps } from "./stacks/constructs/job-alert-stack-set";
export { JobAlertHub, type JobAlertHubProps } from "./stacks/constructs/job-alert-hub";
export { ChatbotSlackChannel, type ChatbotSlackChannelProps } from "./stacks/constructs/chatbot-slack";
export { TrailTable, type TrailTableProps } from "./stacks/constructs/trail-table";
export { PartitionerFunction, type PartitionerFunctionProps } from "./stacks/constructs/partitioner-function";
export { ReportPlans, type ReportPlansProps } from "./stacks/constructs/report-plans";
export { ReportTables, type ReportTablesProps } from "./stacks/constructs/report-tables";
export {
  SecureBucket,
  type ObjectOwnership,
  type SecureBucketAccessLogging,
  type SecureBucketLifecycle,
  type SecureBucketLogTarget,
  type SecureBucketProps,
} from "./stacks/constructs/secure-bucket";
export { policyDocument, type PolicyConditions, type PolicyStatement } from "./stacks/constructs/policy-document";

// The landing-zone config: schema, types, YAML loading and normalisation.
export {
  DEFAULT_OPERATION_PREFERENCES,
  landingZoneConfigSchema,
  type LandingZoneConfig,
  type LandingZoneConfigInput,
} from "./config/schema";
export type {
  NormalizedJobAlerts,
  NormalizedLandingZone,
  NormalizedMemberFrameworks,
  NormalizedStackSetPlacement,
  NormalizedReportPlan,
  ReportFormat,
  ReportScope,
  StackSetOperationPreferences,
} from "./config/types";
export { normalizeLandingZone } from "./config/normalize";
export { ConfigError, loadLandingZones, type ConfigIssue } from "./config/loader";
export { landingZoneJsonSchema } from "./config/json-schema";
export { REPORT_TEMPLATES, type ReportTemplate } from "./reports/templates";
// The normaliser's drift metric (namespace, name, dimension), for alarms built outside this package.
export { REPORT_DRIFT_METRIC } from "./reports/drift-metric";
// The job alerts' event pattern (member rules, central rule and archive), for rules built outside this package.
export { jobEventPattern, JOB_DETAIL_TYPES, type JobAlertState, type JobType } from "./alerts/job-event-pattern";

// The policy gate (also run by LandingZone's validations and by `backup-audit validate`).
export {
  evaluateConfigPolicies,
  evaluateConfigPoliciesSync,
  evaluateConfigWarnings,
  evaluateConfigWarningsSync,
  evaluateTerraformPolicies,
  evaluateTerraformPoliciesSync,
  formatViolations,
  formatWarnings,
  isGateSetupError,
  type GateOptions,
  type Violation,
  type ViolationFormat,
} from "./policies/gate";

// The plan guard (also `backup-audit check-plan`): saved plans (`terraform show -json`) against policies/plan,
// with waivers. policies/plan-check has no cdktf import: scripts can require it on its own.
export {
  checkPlanFiles,
  checkPlans,
  loadWaiverFile,
  PlanInputError,
  readPlanFile,
  stackNameFromPath,
  type CheckPlanOptions,
  type PlanCheckResult,
  type PlanFinding,
  type PlanInput,
  type PlanSummary,
  type WaivedFinding,
  type Waiver,
  type WaiverInput,
} from "./policies/plan-check";
export { formatPlanCheck, type PlanReportFormat } from "./policies/plan-format";
