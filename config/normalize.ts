import { templateSpec } from "../reports/templates";
import type { LandingZoneConfig } from "./schema";
import type { BucketDescriptor, NormalizedLandingZone, NormalizedReportPlan, ReportScope } from "./types";

/** Report plan name derived from the landing-zone name: `acme-prod` + BACKUP_JOB_REPORT → `acme_prod_backup_job_report`. */
export function defaultReportPlanName(landingZone: string, template: string): string {
  return `${landingZone.replace(/-/g, "_")}_${template.toLowerCase()}`;
}

function joinPrefix(root: string, prefix: string): string {
  return [root, prefix]
    .map((p) => p.replace(/^\/+|\/+$/g, ""))
    .filter((p) => p.length > 0)
    .join("/");
}

/** More than the bucket account and its Region: accounts/OUs listed, ROOT, `*` or several Regions. */
function scopeFlags(scope: ReportScope, bucketAccountId: string, bucketRegion: string) {
  const crossAccount =
    scope.organizationalUnits.length > 0 || scope.accounts.some((a) => a !== bucketAccountId);
  const crossRegion = scope.regions.length > 1 || scope.regions.some((r) => r !== bucketRegion);
  return { crossAccount, organizationScope: crossAccount || crossRegion };
}

/**
 * Applies every default and derives names. Pure: no I/O, no cdktf. `sourceFile` only labels messages.
 */
export function normalizeLandingZone(config: LandingZoneConfig, sourceFile: string): NormalizedLandingZone {
  const reportsAccountId = config.reports.accountId ?? config.managementAccountId;
  const reportsRegion = config.reports.region ?? config.homeRegion;
  const sharedScope: ReportScope = {
    accounts: config.reports.scope.accounts ?? ["ROOT"],
    organizationalUnits: config.reports.scope.organizationalUnits ?? [],
    regions: config.reports.scope.regions ?? ["*"],
  };

  const plans: NormalizedReportPlan[] = config.reports.templates.map((template) => {
    const override = config.reports.overrides[template] ?? {};
    const overridePath = `reports.overrides.${template}`;
    const scope: ReportScope = {
      accounts: override.scope?.accounts ?? sharedScope.accounts,
      organizationalUnits: override.scope?.organizationalUnits ?? sharedScope.organizationalUnits,
      regions: override.scope?.regions ?? sharedScope.regions,
    };
    return {
      template,
      name: override.name ?? defaultReportPlanName(config.name, template),
      description: override.description ?? `${template} for landing zone ${config.name} (managed by backup-audit-insights)`,
      keyPrefix: joinPrefix(config.reports.keyPrefixRoot, override.keyPrefix ?? templateSpec(template).defaultKeyPrefix),
      formats: override.formats ?? config.reports.formats,
      scope,
      frameworkArns: override.frameworkArns ?? [],
      numberOfFrameworks: override.numberOfFrameworks ?? null,
      ...scopeFlags(scope, reportsAccountId, reportsRegion),
      fieldPaths: {
        name: override.name !== undefined ? `${overridePath}.name` : "name",
        keyPrefix: override.keyPrefix !== undefined ? `${overridePath}.keyPrefix` : "reports.keyPrefixRoot",
        formats: override.formats !== undefined ? `${overridePath}.formats` : "reports.formats",
        scope: override.scope !== undefined ? `${overridePath}.scope` : "reports.scope",
        frameworkArns: `${overridePath}.frameworkArns`,
      },
    };
  });

  // Not truncated: an over-long derived name is reported by the policy gate (BAI024) with the fix.
  const analyticsResults = config.analytics.resultsBucketName ?? `${config.reports.bucketName}-athena`;
  const trail = config.auditTrail;
  const trailAccountId = trail?.accountId ?? config.managementAccountId;

  const buckets: BucketDescriptor[] = [
    {
      role: "reports",
      name: config.reports.bucketName,
      accountId: reportsAccountId,
      region: reportsRegion,
      logTarget: config.reports.accessLogBucketName,
      fieldPath: "reports.bucketName",
    },
    {
      role: "reportsAccessLog",
      name: config.reports.accessLogBucketName,
      accountId: reportsAccountId,
      region: reportsRegion,
      logTarget: null,
      fieldPath: "reports.accessLogBucketName",
    },
  ];
  if (config.analytics.enabled) {
    buckets.push({
      role: "athenaResults",
      name: analyticsResults,
      accountId: reportsAccountId,
      region: reportsRegion,
      logTarget: config.reports.accessLogBucketName,
      fieldPath: "analytics.resultsBucketName",
    });
  }
  if (trail && trail.enabled) {
    buckets.push(
      {
        role: "trail",
        name: trail.bucketName,
        accountId: trailAccountId,
        region: config.homeRegion,
        logTarget: trail.accessLogBucketName,
        fieldPath: "auditTrail.bucketName",
      },
      {
        role: "trailAccessLog",
        name: trail.accessLogBucketName,
        accountId: trailAccountId,
        region: config.homeRegion,
        logTarget: null,
        fieldPath: "auditTrail.accessLogBucketName",
      },
    );
  }

  const backend = config.deployment.backend?.s3;
  return {
    name: config.name,
    sourceFile,
    managementAccountId: config.managementAccountId,
    organizationId: config.organizationId,
    homeRegion: config.homeRegion,
    tags: { "backup-audit:landing-zone": config.name, ...config.tags },
    deployment: {
      roleName: config.deployment.roleName,
      backend: backend
        ? {
            s3: {
              bucket: backend.bucket,
              keyPrefix: backend.keyPrefix,
              region: backend.region ?? config.homeRegion,
              dynamodbTable: backend.dynamodbTable ?? null,
            },
          }
        : null,
    },
    organization: {
      trustedAccess: config.organization.trustedAccess,
      manageTrustedAccess: config.organization.manageTrustedAccess,
      delegatedAdminAccountId: config.organization.delegatedAdminAccountId,
      globalSettings: config.organization.globalSettings,
    },
    reports: {
      accountId: reportsAccountId,
      region: reportsRegion,
      bucketName: config.reports.bucketName,
      accessLogBucketName: config.reports.accessLogBucketName,
      createServiceLinkedRole: config.reports.createServiceLinkedRole,
      kmsKeyArn: config.reports.kmsKeyArn,
      retention: config.reports.retention,
      plans,
      frameworks: config.reports.frameworks.map((f) => ({
        name: f.name,
        description: f.description,
        controls: f.controls.map((c) => ({ name: c.name, parameters: c.parameters, scope: c.scope ?? null })),
      })),
    },
    analytics: {
      enabled: config.analytics.enabled,
      databaseName: config.analytics.databaseName,
      workgroup: config.analytics.workgroup,
      resultsBucketName: analyticsResults,
      logRetentionDays: config.analytics.logRetentionDays,
    },
    auditTrail:
      trail && trail.enabled
        ? {
            enabled: true,
            name: trail.name ?? `${config.name}-backup-events`,
            accountId: trailAccountId,
            region: config.homeRegion,
            bucketName: trail.bucketName,
            accessLogBucketName: trail.accessLogBucketName,
            organizationTrail: trail.organizationTrail,
            logRetentionDays: trail.logRetentionDays,
          }
        : null,
    buckets,
    alerts: { emails: config.alerts.emails },
  };
}
