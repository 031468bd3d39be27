import type { Construct } from "constructs";
import { Fn } from "cdktf";
import { BackupGlobalSettings } from "@cdktf/provider-aws/lib/backup-global-settings";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { OrganizationsDelegatedAdministrator } from "@cdktf/provider-aws/lib/organizations-delegated-administrator";
import { OrganizationsOrganization } from "@cdktf/provider-aws/lib/organizations-organization";
import type { NormalizedLandingZone } from "../config/types";
import { AccountStack } from "./account-stack";

export const BACKUP_SERVICE_PRINCIPAL = "backup.amazonaws.com";
export const CLOUDTRAIL_SERVICE_PRINCIPAL = "cloudtrail.amazonaws.com";
export const STACKSETS_SERVICE_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com";

/**
 * Service principals reporting needs trusted access for: AWS Backup always (cross-account reports and
 * monitoring), CloudTrail when the landing zone creates an organization trail through the API, CloudFormation
 * StackSets when frameworks or the job-alert rules are deployed into the member accounts.
 */
export function requiredTrustedAccess(lz: NormalizedLandingZone): string[] {
  const required = [BACKUP_SERVICE_PRINCIPAL];
  if (lz.auditTrail?.create && lz.auditTrail.organizationTrail) required.push(CLOUDTRAIL_SERVICE_PRINCIPAL);
  if ((lz.reports.memberFrameworks && lz.reports.frameworks.length > 0) || lz.alerts.jobs) required.push(STACKSETS_SERVICE_PRINCIPAL);
  return required;
}

/**
 * Organization stack (management account, home Region). By default it changes nothing in the organization:
 * a data source asserts at plan time (postconditions) that all features and trusted access are enabled. With
 * `organization.manageTrustedAccess` it adds the principals it needs instead, and never removes one:
 * `aws_service_access_principals` is authoritative, so it is set to the union of what the organization has
 * enabled at plan time (read by the data source) and what this landing zone needs. The resource stands for the
 * existing organization: an `import` block (id = organization id), `prevent_destroy` (destroying it would
 * delete the organization), and `enabled_policy_types` ignored (SCP/backup policy types are somebody else's).
 */
export class OrganizationStack extends AccountStack {
  /** The organization: a data source with postconditions, or the managed resource with `manageTrustedAccess`. */
  readonly organization: DataAwsOrganizationsOrganization | OrganizationsOrganization;
  /** AWS Backup's delegated administrator, when `organization.delegatedAdminAccountId` is set. */
  readonly delegatedAdministrator?: OrganizationsDelegatedAdministrator;
  /** The StackSets delegated administrator, when the frameworks StackSet is owned by another account. */
  readonly stackSetsDelegatedAdministrator?: OrganizationsDelegatedAdministrator;
  /** `aws_backup_global_settings`, when `organization.globalSettings` is set. */
  readonly globalSettings?: BackupGlobalSettings;

  constructor(scope: Construct, lz: NormalizedLandingZone) {
    super(scope, { landingZone: lz, kind: "organization", accountId: lz.managementAccountId, region: lz.homeRegion });
    const org = lz.organization;
    const required = requiredTrustedAccess(lz);

    if (org.manageTrustedAccess) {
      // Read first: whatever Control Tower or another team enabled stays enabled.
      const current = new DataAwsOrganizationsOrganization(this, "organization-current", {});
      const managed = new OrganizationsOrganization(this, "organization", {
        featureSet: "ALL",
        awsServiceAccessPrincipals: Fn.setunion(current.awsServiceAccessPrincipals, [
          [...new Set([...org.trustedAccess, ...required])].sort(),
        ]),
        lifecycle: { preventDestroy: true, ignoreChanges: ["enabled_policy_types"] },
      });
      managed.importFrom(lz.organizationId);
      this.organization = managed;
    } else {
      this.organization = new DataAwsOrganizationsOrganization(this, "organization", {
        lifecycle: {
          postcondition: [
            {
              condition: '${self.feature_set == "ALL"}',
              errorMessage:
                "The organization must have all features enabled (feature_set ALL) for AWS Backup cross-account reports.",
            },
            ...required.map((principal) => ({
              condition: `\${contains(self.aws_service_access_principals, "${principal}")}`,
              errorMessage: trustedAccessMessage(principal),
            })),
          ],
        },
      });
    }

    // Trusted access first: both of these are refused by AWS without it.
    if (org.delegatedAdminAccountId) {
      this.delegatedAdministrator = new OrganizationsDelegatedAdministrator(this, "backup-delegated-admin", {
        accountId: org.delegatedAdminAccountId,
        servicePrincipal: BACKUP_SERVICE_PRINCIPAL,
        dependsOn: [this.organization],
      });
    }

    const members = lz.reports.memberFrameworks;
    // Both StackSets have the same owner (the job alerts follow the member frameworks' administrator).
    const delegatedOwner =
      members?.callAs === "DELEGATED_ADMIN" && lz.reports.frameworks.length > 0
        ? members.administratorAccountId
        : lz.alerts.jobs?.callAs === "DELEGATED_ADMIN"
          ? lz.alerts.jobs.administratorAccountId
          : null;
    if (delegatedOwner !== null) {
      // The StackSet's owner must be a registered StackSets delegated administrator (callAs DELEGATED_ADMIN).
      this.stackSetsDelegatedAdministrator = new OrganizationsDelegatedAdministrator(this, "stacksets-delegated-admin", {
        accountId: delegatedOwner,
        servicePrincipal: STACKSETS_SERVICE_PRINCIPAL,
        dependsOn: [this.organization],
      });
    }

    if (org.globalSettings) {
      const g = org.globalSettings;
      // All three keys, always: Terraform shows a perpetual diff for any key left out (fact sheet §5.2).
      this.globalSettings = new BackupGlobalSettings(this, "backup-global-settings", {
        globalSettings: {
          isCrossAccountBackupEnabled: String(g.isCrossAccountBackupEnabled),
          isMpaEnabled: String(g.isMpaEnabled),
          isDelegatedAdministratorEnabled: String(g.isDelegatedAdministratorEnabled),
        },
        dependsOn: [this.organization],
      });
    }
  }
}

function trustedAccessMessage(principal: string): string {
  if (principal === BACKUP_SERVICE_PRINCIPAL) {
    return (
      "Trusted access for AWS Backup (backup.amazonaws.com) is not enabled in the organization. Enable it from the " +
      "AWS Backup console (Settings > Cross-account management/monitoring, in the management account), or set " +
      "organization.manageTrustedAccess: true in the landing-zone config to let this stack manage it."
    );
  }
  const needs = principal === STACKSETS_SERVICE_PRINCIPAL ? "the frameworks StackSet needs it" : "an organization trail needs it";
  return (
    `Trusted access for ${principal} is not enabled in the organization; ${needs}. Run ` +
    `"aws organizations enable-aws-service-access --service-principal ${principal}" in the management account, ` +
    "or set organization.manageTrustedAccess: true in the landing-zone config."
  );
}
