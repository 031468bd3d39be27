/**
 * The plan guard's scenarios on real plans (issue: plan guard), run by the deploy rehearsal on the embedded example
 * after it has been applied: each changes the rehearsed config as a routine merge would, Terraform plans every stack
 * the change touches against the applied state, and `checkPlans` must refuse or pass those plans as stated.
 */
export interface PlanGuardScenario {
  readonly name: string;
  /** The config text after the change (throws when the text it edits is not there). */
  mutate(yaml: string): string;
  /** Expected verdict: pass, or refused with these rule ids on addresses starting with the given prefixes. */
  readonly expect: "pass" | readonly { readonly rule: string; readonly addressPrefix: string; readonly actions?: readonly string[] }[];
  /** Waivers applied to the same plans, each with its own expected verdict. */
  readonly waivers?: readonly WaiverCase[];
}

export interface WaiverCase {
  readonly name: string;
  readonly rule: string;
  readonly address: string;
  /** Days from today the waiver expires (negative: already expired). */
  readonly expiresInDays: number;
  /** pass: the waiver lets the plan through; refused: the plan is still refused, with this rule among the findings. */
  readonly expect: "pass" | { readonly refusedWith: string };
}

function edit(yaml: string, from: string | RegExp, to: string, what: string): string {
  const out = yaml.replace(from, to);
  if (out === yaml) throw new Error(`plan-guard scenario "${what}": the rehearsed config has no ${String(from)} to change`);
  return out;
}

export const EXAMPLE_SCENARIOS: readonly PlanGuardScenario[] = [
  {
    name: "additive: a second alert address",
    mutate: (y) => edit(y, /emails: \[backup-alerts@example\.com\]/, "emails: [backup-alerts@example.com, backup-oncall@example.com]", "additive"),
    expect: "pass",
  },
  {
    name: "the reports bucket renamed",
    mutate: (y) => edit(y, /bucketName: acme-backup-reports-/, "bucketName: acme-backup-evidence-", "bucket rename"),
    expect: [{ rule: "BAI201", addressPrefix: "aws_s3_bucket.reports-bucket_" }],
    waivers: [
      { name: "a waiver in force", rule: "BAI201", address: "aws_s3_bucket.reports-bucket_*", expiresInDays: 1, expect: "pass" },
      { name: "an expired waiver", rule: "BAI201", address: "aws_s3_bucket.reports-bucket_*", expiresInDays: -1, expect: { refusedWith: "BAI228" } },
    ],
  },
  {
    name: "a report plan renamed",
    mutate: (y) => edit(y, /\n {2}formats: \[CSV\]\n/, "\n  formats: [CSV]\n  overrides:\n    BACKUP_JOB_REPORT:\n      name: acme_prod_backup_jobs_daily\n", "plan rename"),
    expect: [{ rule: "BAI202", addressPrefix: "aws_backup_report_plan.report-plans_backup_job_report_", actions: ["delete", "create"] }],
  },
  {
    name: "a report template dropped",
    mutate: (y) => edit(y, "templates: [BACKUP_JOB_REPORT, COPY_JOB_REPORT, ", "templates: [BACKUP_JOB_REPORT, ", "template drop"),
    expect: [{ rule: "BAI202", addressPrefix: "aws_backup_report_plan.report-plans_copy_job_report_", actions: ["delete"] }],
  },
];

/** The UTC day `days` after `from`, as YYYY-MM-DD. */
export function addDays(from: Date, days: number): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
