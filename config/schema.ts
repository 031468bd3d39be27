import { z } from "zod";
import { DEFAULT_REPORT_TEMPLATES, REFUSED_TEMPLATES, REPORT_TEMPLATES } from "../reports/templates";
import {
  athenaWorkgroupSchema,
  dynamodbTableSchema,
  iamRoleArnSchema,
  iamRoleNameSchema,
  kmsKeyArnSchema,
  tagKeySchema,
  tagsSchema,
  tagValueSchema,
  trailNameSchema,
} from "./aws-names";

/**
 * The landing-zone config file, as users write it (YAML). The schema checks shapes and types only: rules that
 * AWS enforces at deploy time (CSV for organization reports, OU id format, unique plan names, separate log
 * buckets, ...) are Rego policies (policies/*.rego), so that they carry stable ids and can be tested and extended.
 * Identifiers that end up inside ARNs or stack names are checked here because nothing downstream can work
 * without them.
 */

const accountId = z.string().regex(/^\d{12}$/, "a 12-digit AWS account id, quoted in YAML (\"111122223333\")");
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "an AWS Region name such as us-east-1");
/** A list refinement: no entry twice (`.refine(...listedOnce("a role"))`, the message names what is repeated). */
const listedOnce = (what: string) => [(a: readonly unknown[]) => new Set(a).size === a.length, `${what} is listed twice: list each once`] as const;
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name: 3-63 lower-case letters, digits, dots, hyphens");

export const reportFormatSchema = z.enum(["CSV", "JSON"]);
export const reportTemplateSchema = z.enum(REPORT_TEMPLATES);

export const scopeSchema = z
  .object({
    /** Account ids, or `ROOT` for every account of the organization. */
    accounts: z.array(z.string()).describe("Account ids (12 digits) or ROOT for the whole organization"),
    /** Organizational unit ids (`ou-...`). */
    organizationalUnits: z.array(z.string()).describe("Organizational unit ids (ou-...)"),
    /** Region names, or `*` for every Region. */
    regions: z.array(z.string()).describe("Region names, or * for all Regions"),
  })
  .strict();

export const templateOverrideSchema = z
  .object({
    name: z.string().describe("Report plan name; default <landing zone>_<template in lower case>"),
    description: z.string().max(1024),
    keyPrefix: z.string().describe("S3 key prefix of this plan's reports; default the template's own prefix"),
    formats: z.array(reportFormatSchema),
    scope: scopeSchema.partial(),
    frameworkArns: z.array(z.string()).describe("Frameworks a compliance report covers (single-account reports only)"),
    numberOfFrameworks: z.number().int().nonnegative(),
  })
  .partial()
  .strict();

export const frameworkControlSchema = z
  .object({
    name: z.string().describe("Control name, e.g. BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK"),
    parameters: z
      // Names as AWS spells them (camelCase identifiers; which ones a control takes is rule BAI048). Values are
      // strings to CreateFramework; a YAML number (requiredRetentionDays: 35) is normalised to its text, and rule
      // BAI049 checks types and ranges on that text.
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,127}$/, "a parameter name such as requiredRetentionDays"),
        z.union([z.string(), z.number()]),
      )
      .default({})
      .describe("Input parameters by name, e.g. requiredRetentionDays: 35"),
    scope: z
      .object({
        complianceResourceIds: z.array(z.string()).optional(),
        complianceResourceTypes: z.array(z.string()).optional(),
        tags: z.record(tagKeySchema, tagValueSchema).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const frameworkSchema = z
  .object({
    name: z.string().describe("Framework name (letters, digits, underscore)"),
    description: z.string().default(""),
    controls: z.array(frameworkControlSchema).min(1),
  })
  .strict();

// ---- Layout (issue 10): member frameworks, trail and bucket accounts, an existing trail, customer-managed keys.

/**
 * How CloudFormation rolls the frameworks out: per Region, this share of the target accounts at a time, and this
 * share may fail before it stops (AWS's own defaults are one account at a time and no failure). Applied to the
 * StackSet's updates and to the stack instances' first rollout (CreateStackInstances) alike.
 */
export const DEFAULT_OPERATION_PREFERENCES = { maxConcurrentPercentage: 25, failureTolerancePercentage: 10 } as const;

/** The member accounts the stack instances' timeouts are sized for when the config does not say. */
export const DEFAULT_EXPECTED_ACCOUNTS = 100;

export const stackSetOperationPreferencesSchema = z
  .object({
    maxConcurrentPercentage: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(DEFAULT_OPERATION_PREFERENCES.maxConcurrentPercentage)
      .describe("Share of the target accounts deployed at a time, per Region (CloudFormation rounds down, at least one)"),
    failureTolerancePercentage: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(DEFAULT_OPERATION_PREFERENCES.failureTolerancePercentage)
      .describe("Share of the target accounts that may fail, per Region, before CloudFormation stops the operation (rounded down)"),
  })
  .strict();

/**
 * Frameworks deployed into the member accounts by a service-managed CloudFormation StackSet: an organization
 * compliance report aggregates the frameworks that exist in the accounts it covers (fact sheet §12).
 */
export const memberFrameworksSchema = z
  .object({
    stackSetName: z.string().optional().describe("StackSet name; default <landing zone>-backup-frameworks"),
    administratorAccountId: accountId
      .optional()
      .describe("Account that owns the StackSet: the management account (default) or a StackSets delegated administrator"),
    organizationalUnits: z
      .array(z.string())
      .optional()
      .describe("OUs (ou-...) the StackSet deploys to; default the report scope's OUs, or the organization root for ROOT"),
    regions: z.array(region).min(1).describe("Regions of the stack instances (StackSets need Region names, not *)"),
    operationPreferences: stackSetOperationPreferencesSchema.default({ ...DEFAULT_OPERATION_PREFERENCES }),
    expectedAccounts: z
      .number()
      .int()
      .positive()
      .max(100_000)
      .default(DEFAULT_EXPECTED_ACCOUNTS)
      .describe("About how many member accounts the target OUs hold: sizes the stack instances' timeouts (docs/deploy.md)"),
  })
  .strict();

/** An organization trail that exists already (Control Tower's): its bucket is queried, no second trail is paid for. */
export const existingTrailSchema = z
  .object({
    bucketName: bucketName.describe("The existing trail's bucket (Control Tower: aws-controltower-logs-<log archive>-<Region>)"),
    bucketAccountId: accountId.describe("Account of that bucket (Control Tower: the log-archive account)"),
    bucketRegion: region.optional().describe("Region of that bucket; default the home Region"),
    keyPrefix: z.string().default("").describe("Key prefix above AWSLogs/ (Control Tower: none)"),
    kmsKeyArn: kmsKeyArnSchema.nullable().default(null).describe("KMS key of the existing trail's log files, if any"),
  })
  .strict();

/** Customer-managed KMS keys (rotation on) for the reports bucket and its normalised data, Athena results, the trail. */
export const encryptionSchema = z
  .object({
    createKeys: z
      .boolean()
      .default(false)
      .describe("Create KMS keys for every encrypted store that names no key of its own (kmsKeyArn)"),
  })
  .strict();

// ---- Central backup job alerts (issue 18).

/** AWS Backup job kinds whose state changes the alerts watch (EventBridge detail types "<Kind> Job State Change"). */
export const JOB_ALERT_TYPES = ["BACKUP", "COPY", "RESTORE"] as const;
/**
 * End states worth an alert by default. Backup jobs end in COMPLETED, FAILED, ABORTED, EXPIRED or PARTIAL (API
 * BackupJob), copy jobs in COMPLETED, FAILED or PARTIAL (API CopyJob), restore jobs in COMPLETED, FAILED or ABORTED
 * (API RestoreJobsListMember); a state a job kind never reaches simply matches nothing.
 */
export const DEFAULT_JOB_ALERT_STATES = ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"] as const;
export const JOB_ALERT_STATES = ["FAILED", "ABORTED", "EXPIRED", "PARTIAL", "COMPLETED"] as const;
/** Lambda's largest SQS batching window (MaximumBatchingWindowInSeconds, 300 s): the longest digest window. */
export const MAX_DIGEST_WINDOW_SECONDS = 300;

export const jobAlertsSchema = z
  .object({
    enabled: z.boolean().default(false).describe("Deploy the central job alerts (member rules, central bus, formatter)"),
    jobTypes: z
      .array(z.enum(JOB_ALERT_TYPES))
      .min(1)
      .default([...JOB_ALERT_TYPES])
      .refine(...listedOnce("a job type"))
      .describe("Job kinds to alert on"),
    states: z
      .array(z.enum(JOB_ALERT_STATES))
      .min(1)
      .default([...DEFAULT_JOB_ALERT_STATES])
      .refine(...listedOnce("a state"))
      .describe("Job states to alert on; COMPLETED alerts only on jobs that carry a status message ('Completed with issues')"),
    regions: z
      .array(region)
      .min(1)
      .optional()
      .describe("Regions of the member rules; default the member frameworks' Regions, else the report scope's"),
    organizationalUnits: z
      .array(z.string())
      .optional()
      .describe("OUs (ou-...) of the member rules; default the member frameworks' OUs, else the report scope's"),
    stackSetName: z.string().optional().describe("StackSet of the member rules; default <landing zone>-backup-job-alerts"),
    busName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,256}$/, "an event bus name: letters, digits, . _ -")
      .optional()
      .describe("Central event bus in the reports account; default <landing zone>-backup-job-alerts"),
    archiveRetentionDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(14)
      .describe("Days the central bus's archive keeps every forwarded event (replay after an outage)"),
    digestWindowSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_DIGEST_WINDOW_SECONDS)
      .default(0)
      .describe("0: one message per job; 1-300: one message per window summarising every alert of the window"),
    accountNames: z
      .record(z.string().regex(/^\d{12}$/, "a 12-digit account id"), z.string().min(1).max(64))
      .default({})
      .describe("Readable account names in the messages, by account id; other accounts are named by id"),
    silence: z
      .array(
        z
          .object({
            resourceArn: z.string().min(1).optional().describe("The resource whose job alerts are silenced"),
            account: z.string().regex(/^\d{12}$/, "a 12-digit account id").optional().describe("The account whose job alerts are silenced"),
            until: z.iso.date("a date such as 2027-01-31").describe("Last day (UTC) of the silence; afterwards the alerts arrive again"),
            reason: z.string().min(1).describe("Why, for the next reader (e.g. the ticket that fixes it)"),
          })
          .strict()
          .refine((r) => r.resourceArn !== undefined || r.account !== undefined, "name a resourceArn, an account, or both"),
      )
      .default([])
      .describe("Known failures not to alert on until a date (the formatter logs and counts what it silences)"),
    slack: z
      .object({
        workspaceId: z.string().regex(/^[0-9A-Z]{1,255}$/, "a Slack workspace (team) id such as T0123ABCD"),
        channelId: z.string().regex(/^[A-Za-z0-9]{1,255}$/, "a Slack channel id such as C0123ABCD"),
      })
      .strict()
      .optional()
      .describe("AWS Chatbot Slack channel that receives the alert topic too (the workspace must be authorised in Chatbot first)"),
  })
  .strict();

export const landingZoneConfigSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, "lower-case letters, digits and hyphens, starting with a letter, at most 32")
      .describe("Landing-zone name; prefixes every stack name"),
    managementAccountId: accountId.describe("The organization's management account (where the credentials are)"),
    organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, "an organization id such as o-abc123def4"),
    homeRegion: region.describe("Region of the reporting, analytics and organization stacks"),
    tags: tagsSchema.default({}).describe("Default tags on every resource"),
    deployment: z
      .object({
        roleName: iamRoleNameSchema.default("OrganizationAccountAccessRole").describe("Role assumed in target accounts"),
        backend: z
          .object({
            s3: z
              .object({
                bucket: bucketName,
                keyPrefix: z.string().default("backup-audit"),
                region: region.optional(),
                dynamodbTable: dynamodbTableSchema.optional(),
              })
              .strict(),
          })
          .strict()
          .optional()
          .describe("Terraform state backend; local state when absent"),
      })
      .strict()
      .default({ roleName: "OrganizationAccountAccessRole" }),
    organization: z
      .object({
        trustedAccess: z
          .array(z.string())
          .default([])
          .describe("Service principals whose trusted access is already enabled in the organization"),
        manageTrustedAccess: z
          .boolean()
          .default(false)
          .describe("Manage aws_service_access_principals (changes the whole organization)"),
        delegatedAdminAccountId: accountId.nullable().default(null),
        globalSettings: z
          .object({
            isCrossAccountBackupEnabled: z.boolean(),
            isMpaEnabled: z.boolean(),
            isDelegatedAdministratorEnabled: z.boolean(),
          })
          .strict()
          .nullable()
          .default(null)
          .describe("Manage aws_backup_global_settings (all three keys) when set"),
      })
      .strict()
      .default({ trustedAccess: [], manageTrustedAccess: false, delegatedAdminAccountId: null, globalSettings: null }),
    reports: z
      .object({
        accountId: accountId.optional().describe("Account of the reports bucket and report plans; default management"),
        region: region.optional(),
        bucketName,
        accessLogBucketName: bucketName,
        createServiceLinkedRole: z
          .boolean()
          .default(false)
          .describe("Create AWSServiceRoleForBackupReports explicitly (else the policy waits for the plans)"),
        keyPrefixRoot: z.string().default("").describe("Folder above every template prefix"),
        templates: z
          .array(
            // A template the API knows but the project cannot deploy is refused with the reason (reports/templates.ts).
            reportTemplateSchema.refine((t) => REFUSED_TEMPLATES[t] === undefined, {
              error: (issue) => `refused: ${REFUSED_TEMPLATES[issue.input as keyof typeof REFUSED_TEMPLATES]}`,
            }),
          )
          .min(1, "list at least one report template (or leave templates out for the default five): a landing zone without report plans has no reports and no tables")
          .default([...DEFAULT_REPORT_TEMPLATES]),
        scope: scopeSchema.partial().default({}),
        formats: z.array(reportFormatSchema).default(["CSV"]),
        overrides: z.partialRecord(reportTemplateSchema, templateOverrideSchema).default({}),
        frameworks: z.array(frameworkSchema).default([]),
        memberFrameworks: memberFrameworksSchema.optional().describe("Deploy the frameworks into the member accounts"),
        kmsKeyArn: kmsKeyArnSchema.nullable().default(null),
        retention: z
          .object({
            reportDays: z.number().int().positive().default(400),
            noncurrentVersionDays: z.number().int().positive().default(30),
            accessLogDays: z.number().int().positive().default(365),
          })
          .strict()
          .default({ reportDays: 400, noncurrentVersionDays: 30, accessLogDays: 365 }),
      })
      .strict(),
    analytics: z
      .object({
        enabled: z.boolean().default(true),
        databaseName: z.string().default("backup_reports"),
        workgroup: athenaWorkgroupSchema.default("backup-reports"),
        resultsBucketName: bucketName.optional().describe("Athena results bucket; default <reports bucket>-athena"),
        // A year, like the trail's: the function's log is the record of which reports were ingested (checkov CKV_AWS_338).
        logRetentionDays: z.number().int().positive().default(365),
        kmsKeyArn: kmsKeyArnSchema.nullable().default(null).describe("KMS key of the Athena results; default SSE-S3 or a created key"),
      })
      .strict()
      .default({ enabled: true, databaseName: "backup_reports", workgroup: "backup-reports", logRetentionDays: 365, kmsKeyArn: null }),
    encryption: encryptionSchema.default({ createKeys: false }),
    auditTrail: z
      .object({
        enabled: z.boolean().default(true),
        name: trailNameSchema.optional(),
        accountId: accountId.optional().describe("Account of the trail; default management"),
        bucketAccountId: accountId.optional().describe("Account of the trail's buckets (log archive); default the trail's"),
        bucketName: bucketName.optional(),
        accessLogBucketName: bucketName.optional(),
        organizationTrail: z.boolean().default(true),
        logRetentionDays: z.number().int().positive().default(365),
        kmsKeyArn: kmsKeyArnSchema.nullable().default(null).describe("KMS key of the trail's log files; default none or a created key"),
        existingTrail: existingTrailSchema.optional().describe("Query an existing organization trail instead of creating one"),
        queryAccounts: z
          .array(accountId)
          .optional()
          .describe("Accounts the trail-log table projects; default every account the config names"),
        queryRegions: z
          .array(region)
          .optional()
          .describe("Regions the trail-log table projects; default the report scope's, member-framework and home Regions"),
        readerRoleArns: z
          .array(iamRoleArnSchema)
          .default([])
          .refine(...listedOnce("a role"))
          .describe(
            "Roles of the analytics account that may read the trail's log files; none: any principal there, through Athena only (aws:CalledVia)",
          ),
      })
      .strict()
      .optional(),
    // Alarm notifications (issue 10): the analytics stack's failure alarms publish to one SNS topic.
    alerts: z
      .object({
        emails: z
          .array(z.email("an email address such as ops@example.com"))
          .default([])
          .refine(...listedOnce("an address"))
          .describe("Email addresses subscribed to the alarm topic (each confirms the subscription by mail)"),
        jobs: jobAlertsSchema.optional().describe("Backup, copy and restore job alerts from every member account (off unless enabled)"),
      })
      .strict()
      .default({ emails: [] })
      .describe("Where the failure alarms notify"),
  })
  .strict();

export type LandingZoneConfigInput = z.input<typeof landingZoneConfigSchema>;
export type LandingZoneConfig = z.output<typeof landingZoneConfigSchema>;
