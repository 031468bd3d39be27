import type { Construct } from "constructs";
import type { TerraformStack } from "cdktf";
import type { NormalizedLandingZone } from "../config/types";
import { AnalyticsStack } from "./analytics-stack";
import { AuditTrailStack } from "./audit-trail-stack";
import { OrganizationStack } from "./organization-stack";
import { ReportingStack } from "./reporting-stack";

export interface LandingZoneStackOptions {
  /** Partitioner deployment package (zip with index.js) written by `npm run build:lambda`. */
  partitionerPackage: string;
  /** Named queries to create: from queries/catalog.ts loadNamedQueries(). */
  namedQueries: ReadonlyArray<{ name: string; description: string; sql: string }>;
}

/** The stacks of one landing zone, by kind. */
export interface LandingZoneStacks {
  /** Management account: asserts (or manages) trusted access; delegated admin, global settings. */
  organization: TerraformStack;
  /** Reports account: the reports and access-log buckets, report plans and frameworks. */
  reporting: TerraformStack;
  /** Glue tables, partitioner Lambda and Athena workgroup; absent when `analytics.enabled` is false. */
  analytics?: TerraformStack;
  /** CloudTrail trail and its buckets; absent without `auditTrail`. */
  auditTrail?: TerraformStack;
}

/**
 * The stacks of one landing zone, named `<landing zone>-<kind>` so that several landing zones live in one
 * app. Stack dependencies (cdktf `addDependency`, honoured by `cdktf deploy`) encode the deployment order:
 * organization (trusted access asserted) → reporting (buckets, plans) → analytics (reads the buckets' names
 * from the config and needs the log bucket and the EventBridge notification); the trail after organization.
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

  if (lz.analytics.enabled) {
    const analytics = new AnalyticsStack(scope, lz, {
      partitionerPackage: options.partitionerPackage,
      namedQueries: options.namedQueries,
    });
    analytics.addDependency(reporting);
    stacks.analytics = analytics;
  }

  if (lz.auditTrail) {
    const auditTrail = new AuditTrailStack(scope, lz, lz.auditTrail);
    auditTrail.addDependency(organization);
    stacks.auditTrail = auditTrail;
  }
  return stacks;
}
