import { templateSpec } from "../reports/templates";
import { DEFAULT_EXPECTED_ACCOUNTS, DEFAULT_OPERATION_PREFERENCES, type LandingZoneConfig } from "./schema";
import type {
  BucketDescriptor,
  NormalizedAuditTrail,
  NormalizedLandingZone,
  NormalizedJobAlerts,
  NormalizedMemberFrameworks,
  NormalizedStackSetPlacement,
  StackSetOperationPreferences,
  NormalizedReportPlan,
  ReportScope,
} from "./types";

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
  const auditTrail = normalizeAuditTrail(config, plans);

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
  // Only buckets this landing zone creates: an existing trail's bucket belongs to whoever runs that trail.
  if (auditTrail?.create && auditTrail.bucketName && auditTrail.accessLogBucketName) {
    buckets.push(
      {
        role: "trail",
        name: auditTrail.bucketName,
        accountId: auditTrail.bucketAccountId,
        region: auditTrail.bucketRegion,
        logTarget: auditTrail.accessLogBucketName,
        fieldPath: "auditTrail.bucketName",
      },
      {
        role: "trailAccessLog",
        name: auditTrail.accessLogBucketName,
        accountId: auditTrail.bucketAccountId,
        region: auditTrail.bucketRegion,
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
        controls: f.controls.map((c) => ({
          name: c.name,
          parameters: Object.fromEntries(Object.entries(c.parameters).map(([k, v]) => [k, String(v)])),
          scope: c.scope ?? null,
        })),
      })),
      memberFrameworks: normalizeMemberFrameworks(config, sharedScope),
    },
    analytics: {
      enabled: config.analytics.enabled,
      databaseName: config.analytics.databaseName,
      workgroup: config.analytics.workgroup,
      resultsBucketName: analyticsResults,
      logRetentionDays: config.analytics.logRetentionDays,
      kmsKeyArn: config.analytics.kmsKeyArn,
    },
    encryption: { createKeys: config.encryption.createKeys },
    auditTrail,
    buckets,
    alerts: { emails: config.alerts.emails, jobs: normalizeJobAlerts(config, sharedScope, reportsAccountId, reportsRegion) },
  };
}

/**
 * The job alerts' StackSet follows the member frameworks' (same administrator, OUs, Regions, rollout) unless the
 * section names its own; without member frameworks: the management account, the report scope's OUs (or the root
 * for ROOT) and the report scope's Regions (`*` left out: StackSets need Region names, and BAI055 says so).
 */
function normalizeJobAlerts(
  config: LandingZoneConfig,
  scope: ReportScope,
  reportsAccountId: string,
  reportsRegion: string,
): NormalizedJobAlerts | null {
  const j = config.alerts.jobs;
  if (!j || !j.enabled) return null;
  const m = config.reports.memberFrameworks;
  return {
    ...stackSetPlacement(config, scope, {
      stackSetName: j.stackSetName ?? `${config.name}-backup-job-alerts`,
      administratorAccountId: m?.administratorAccountId,
      organizationalUnits: j.organizationalUnits ?? m?.organizationalUnits,
      regions: j.regions ?? m?.regions ?? scope.regions.filter((r) => r !== "*"),
      operationPreferences: m?.operationPreferences ?? DEFAULT_OPERATION_PREFERENCES,
      expectedAccounts: m?.expectedAccounts ?? DEFAULT_EXPECTED_ACCOUNTS,
    }),
    jobTypes: [...j.jobTypes],
    states: [...j.states],
    busName: j.busName ?? `${config.name}-backup-job-alerts`,
    busAccountId: reportsAccountId,
    busRegion: reportsRegion,
    archiveRetentionDays: j.archiveRetentionDays,
    digestWindowSeconds: j.digestWindowSeconds,
    accountNames: { ...j.accountNames },
    silence: j.silence.map((r) => ({ ...r })),
    slack: j.slack ? { ...j.slack } : null,
  };
}

/** The StackSet settings; OUs default to the report scope's, the whole organization (root) for ROOT. */
function normalizeMemberFrameworks(config: LandingZoneConfig, scope: ReportScope): NormalizedMemberFrameworks | null {
  const m = config.reports.memberFrameworks;
  if (!m) return null;
  return stackSetPlacement(config, scope, {
    stackSetName: m.stackSetName ?? `${config.name}-backup-frameworks`,
    administratorAccountId: m.administratorAccountId,
    organizationalUnits: m.organizationalUnits,
    regions: m.regions,
    operationPreferences: m.operationPreferences,
    expectedAccounts: m.expectedAccounts,
  });
}

/**
 * A StackSet's placement: administered by the management account unless another is named (then as a StackSets
 * delegated administrator), targeting the named OUs, else the report scope's — the organization's root for ROOT.
 */
function stackSetPlacement(
  config: LandingZoneConfig,
  scope: ReportScope,
  p: {
    stackSetName: string;
    administratorAccountId: string | undefined;
    organizationalUnits: string[] | undefined;
    regions: string[];
    operationPreferences: StackSetOperationPreferences;
    expectedAccounts: number;
  },
): NormalizedStackSetPlacement {
  const administratorAccountId = p.administratorAccountId ?? config.managementAccountId;
  const organizationalUnits = p.organizationalUnits ?? scope.organizationalUnits;
  return {
    stackSetName: p.stackSetName,
    administratorAccountId,
    callAs: administratorAccountId === config.managementAccountId ? "SELF" : "DELEGATED_ADMIN",
    organizationalUnits,
    targetsRoot: organizationalUnits.length === 0 && scope.accounts.includes("ROOT"),
    regions: p.regions,
    operationPreferences: { ...p.operationPreferences },
    expectedAccounts: p.expectedAccounts,
  };
}

/** The trail and its bucket's accounts; an existing trail contributes only its bucket (nothing is created). */
function normalizeAuditTrail(config: LandingZoneConfig, plans: NormalizedReportPlan[]): NormalizedAuditTrail | null {
  const trail = config.auditTrail;
  if (!trail || !trail.enabled) return null;
  const accountId = trail.accountId ?? config.managementAccountId;
  const existing = trail.existingTrail;
  const bucketAccountId = existing?.bucketAccountId ?? trail.bucketAccountId ?? accountId;
  const named = [
    config.managementAccountId,
    config.reports.accountId,
    config.organization.delegatedAdminAccountId,
    accountId,
    bucketAccountId,
    ...plans.flatMap((p) => p.scope.accounts),
  ].filter((a): a is string => typeof a === "string" && /^\d{12}$/.test(a));
  const regions = [
    config.homeRegion,
    ...plans.flatMap((p) => p.scope.regions),
    ...(config.reports.memberFrameworks?.regions ?? []),
  ].filter((r) => r !== "*");
  const common = {
    queryAccounts: trail.queryAccounts ?? [...new Set(named)].sort(),
    queryRegions: trail.queryRegions ?? [...new Set(regions)].sort(),
    enabled: true,
    name: trail.name ?? `${config.name}-backup-events`,
    accountId,
    region: config.homeRegion,
    organizationTrail: trail.organizationTrail,
    logRetentionDays: trail.logRetentionDays,
    readerRoleArns: [...trail.readerRoleArns].sort(),
  };
  if (existing) {
    const ignored = (["name", "accountId", "bucketAccountId", "bucketName", "accessLogBucketName"] as const).filter(
      (f) => trail[f] !== undefined,
    );
    return {
      ...common,
      create: false,
      bucketAccountId,
      bucketRegion: existing.bucketRegion ?? config.homeRegion,
      bucketName: existing.bucketName,
      accessLogBucketName: null,
      keyPrefix: existing.keyPrefix.replace(/^\/+|\/+$/g, ""),
      kmsKeyArn: existing.kmsKeyArn,
      bucketFieldPath: "auditTrail.existingTrail.bucketName",
      ignoredFields: [...ignored, ...(trail.kmsKeyArn !== null ? ["kmsKeyArn"] : [])].map((f) => `auditTrail.${f}`),
    };
  }
  return {
    ...common,
    create: true,
    bucketAccountId,
    bucketRegion: config.homeRegion,
    bucketName: trail.bucketName ?? null,
    accessLogBucketName: trail.accessLogBucketName ?? null,
    keyPrefix: "",
    kmsKeyArn: trail.kmsKeyArn,
    bucketFieldPath: "auditTrail.bucketName",
    ignoredFields: [],
  };
}
