import type { Construct } from "constructs";
import type { TerraformStack } from "cdktf";
import type { NormalizedLandingZone } from "../config/types";
import { AnalyticsStack } from "./analytics-stack";
import { AuditTrailStack } from "./audit-trail-stack";
import { JobAlertMembersStack } from "./job-alert-members-stack";
import { MemberFrameworksStack } from "./member-frameworks-stack";
import { OrganizationStack } from "./organization-stack";
import { ReportingStack } from "./reporting-stack";
import { TrailBucketStack } from "./trail-bucket-stack";

export interface LandingZoneStackOptions {
  /** Partitioner deployment package (zip with index.js) written by `npm run build:lambda`. */
  partitionerPackage: string;
  /** Job-alerts formatter package (zip with index.js) written by `npm run build:lambda`; needed with `alerts.jobs`. */
  jobAlertsPackage?: string;
  /** Named queries to create: from queries/catalog.ts loadNamedQueries(). */
  namedQueries: ReadonlyArray<{ name: string; description: string; sql: string }>;
  /** Queries over the trail-log table: from loadNamedQueries(<queries>/trail, [cloudtrail_logs]). */
  trailQueries?: ReadonlyArray<{ name: string; description: string; sql: string }>;
}

/** The stacks of one landing zone, by kind. */
export interface LandingZoneStacks {
  /** Management account: asserts (or manages) trusted access; delegated admin, global settings. */
  organization: TerraformStack;
  /** StackSet administrator: the frameworks StackSet into the member accounts; absent without `memberFrameworks`. */
  memberFrameworks?: TerraformStack;
  /** StackSet administrator: the job-alert rules StackSet into the member accounts; absent without `alerts.jobs`. */
  jobAlertMembers?: TerraformStack;
  /** Reports account: the reports and access-log buckets, report plans and (without the StackSet) frameworks. */
  reporting: TerraformStack;
  /** Glue tables, partitioner Lambda and Athena workgroup; absent when `analytics.enabled` is false. */
  analytics?: TerraformStack;
  /** Trail bucket account (log archive): the trail's bucket and its log bucket; absent without a created trail. */
  trailBucket?: TerraformStack;
  /** Trail account (management): the CloudTrail trail; absent without a created trail. */
  auditTrail?: TerraformStack;
}

/**
 * The stacks of one landing zone, named `<landing zone>-<kind>` so that several landing zones live in one
 * app. Stack dependencies (cdktf `addDependency`, honoured by `cdktf deploy`) encode the deployment order:
 * organization (trusted access asserted or added) → member frameworks (StackSet) and reporting (buckets, plans)
 * → analytics (reads the buckets' names from the config and needs the log bucket and the EventBridge
 * notification); organization → trail bucket (log archive) → trail (CloudTrail checks the bucket policy).
 * A landing zone naming an existing trail gets neither trail stack.
 */
export function buildLandingZoneStacks(
  scope: Construct,
  lz: NormalizedLandingZone,
  options: LandingZoneStackOptions,
): LandingZoneStacks {
  const organization = new OrganizationStack(scope, lz);
  const reporting = new ReportingStack(scope, lz);
  reporting.addDependency(organization);
  const stacks: LandingZoneStacks = { organization, reporting };

  const members = lz.reports.memberFrameworks;
  if (members && lz.reports.frameworks.length > 0) {
    const memberFrameworks = new MemberFrameworksStack(scope, lz, members);
    memberFrameworks.addDependency(organization);
    stacks.memberFrameworks = memberFrameworks;
  }

  if (lz.analytics.enabled) {
    const analytics = new AnalyticsStack(scope, lz, {
      partitionerPackage: options.partitionerPackage,
      namedQueries: options.namedQueries,
      trailQueries: options.trailQueries,
      jobAlertsPackage: options.jobAlertsPackage,
    });
    analytics.addDependency(reporting);
    stacks.analytics = analytics;
  }

  // The member rules after the central bus (analytics stack): a rule forwarding to a bus that is not there yet
  // would only retry, but the order makes the first test job's alert arrive.
  const jobs = lz.alerts.jobs;
  if (jobs) {
    const jobAlertMembers = new JobAlertMembersStack(scope, lz, jobs);
    jobAlertMembers.addDependency(organization);
    if (stacks.analytics) jobAlertMembers.addDependency(stacks.analytics);
    stacks.jobAlertMembers = jobAlertMembers;
  }

  const trail = lz.auditTrail;
  if (trail?.create && trail.bucketName && trail.accessLogBucketName) {
    const created = { ...trail, bucketName: trail.bucketName, accessLogBucketName: trail.accessLogBucketName };
    const trailBucket = new TrailBucketStack(scope, lz, created);
    trailBucket.addDependency(organization);
    const auditTrail = new AuditTrailStack(scope, lz, created);
    auditTrail.addDependency(trailBucket);
    stacks.trailBucket = trailBucket;
    stacks.auditTrail = auditTrail;
  }
  return stacks;
}
