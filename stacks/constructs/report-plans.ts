import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { BackupReportPlan, type BackupReportPlanReportSetting } from "@cdktf/provider-aws/lib/backup-report-plan";
import type { NormalizedReportPlan } from "../../config/types";
import { templateSpec } from "../../reports/templates";

/** Properties of ReportPlans. */
export interface ReportPlansProps {
  /** One `aws_backup_report_plan` per entry (one per template, each with its own key prefix). */
  readonly plans: readonly NormalizedReportPlan[];
  /** Reports bucket; must be in the plans' account (AWS: "You can't use a bucket from another account"). */
  readonly bucketName: string;
  /** Created first: the bucket, and the explicit service-linked role when there is one. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * AWS Backup Audit Manager report plans. Empty lists are left out of `report_setting` instead of being sent
 * as `[]`: the API rejects empty `FrameworkArns` on job templates and an empty list would also read as
 * "no accounts" rather than "not set". Framework ARNs and their count only ever go to compliance templates.
 */
export class ReportPlans extends Construct {
  /** Plans by template, in config order. */
  readonly plans: ReadonlyArray<{ readonly plan: NormalizedReportPlan; readonly resource: BackupReportPlan }>;

  constructor(scope: Construct, id: string, props: ReportPlansProps) {
    super(scope, id);
    this.plans = props.plans.map((plan) => ({
      plan,
      resource: new BackupReportPlan(this, plan.template.toLowerCase(), {
        name: plan.name,
        description: plan.description,
        reportDeliveryChannel: {
          s3BucketName: props.bucketName,
          s3KeyPrefix: plan.keyPrefix === "" ? undefined : plan.keyPrefix,
          formats: [...plan.formats],
        },
        reportSetting: reportSetting(plan),
        dependsOn: props.dependsOn,
      }),
    }));
  }

  /** The plan resources, e.g. for `dependsOn` of the bucket policy (the plans create the reports SLR). */
  get resources(): BackupReportPlan[] {
    return this.plans.map((p) => p.resource);
  }
}

/** `report_setting` with only the lists that carry values. Exported for tests and docs. */
export function reportSetting(plan: NormalizedReportPlan): BackupReportPlanReportSetting {
  const setting: { -readonly [K in keyof BackupReportPlanReportSetting]: BackupReportPlanReportSetting[K] } = {
    reportTemplate: plan.template,
  };
  if (plan.scope.accounts.length > 0) setting.accounts = [...plan.scope.accounts];
  if (plan.scope.organizationalUnits.length > 0) setting.organizationUnits = [...plan.scope.organizationalUnits];
  if (plan.scope.regions.length > 0) setting.regions = [...plan.scope.regions];
  if (templateSpec(plan.template).compliance) {
    if (plan.frameworkArns.length > 0) setting.frameworkArns = [...plan.frameworkArns];
    const count = plan.numberOfFrameworks ?? (plan.frameworkArns.length > 0 ? plan.frameworkArns.length : null);
    if (count !== null) setting.numberOfFrameworks = count;
  }
  return setting;
}
