import type { Construct } from "constructs";
import { BackupGlobalSettings } from "@cdktf/provider-aws/lib/backup-global-settings";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { OrganizationsDelegatedAdministrator } from "@cdktf/provider-aws/lib/organizations-delegated-administrator";
import { OrganizationsOrganization } from "@cdktf/provider-aws/lib/organizations-organization";
import type { NormalizedLandingZone } from "../config/types";
import { AccountStack } from "./account-stack";

export const BACKUP_SERVICE_PRINCIPAL = "backup.amazonaws.com";
export const CLOUDTRAIL_SERVICE_PRINCIPAL = "cloudtrail.amazonaws.com";

/**
 * Service principals reporting needs trusted access for: AWS Backup always (cross-account reports and
 * monitoring), CloudTrail when the landing zone creates an organization trail through the API.
 */
export function requiredTrustedAccess(lz: NormalizedLandingZone): string[] {
  const required = [BACKUP_SERVICE_PRINCIPAL];
  if (lz.auditTrail?.organizationTrail) required.push(CLOUDTRAIL_SERVICE_PRINCIPAL);
  return required;
}

/**
 * Organization stack (management account, home Region). By default it changes nothing in the organization:
 * a data source asserts at plan time (postconditions) that all features and trusted access are enabled. With
 * `organization.manageTrustedAccess` it manages `aws_service_access_principals` instead; that resource stands
 * for the existing organization, so it carries an `import` block (id = organization id), `prevent_destroy`
 * (destroying it would delete the organization) and ignores `enabled_policy_types` (SCP/backup policy types
 * are somebody else's business). Every principal already enabled must be listed in `organization.trustedAccess`,
 * or the plan disables it — read the plan.
 */
export class OrganizationStack extends AccountStack {
  /** The organization: a data source with postconditions, or the managed resource with `manageTrustedAccess`. */
  readonly organization: DataAwsOrganizationsOrganization | OrganizationsOrganization;
  /** AWS Backup's delegated administrator, when `organization.delegatedAdminAccountId` is set. */
  readonly delegatedAdministrator?: OrganizationsDelegatedAdministrator;
  /** `aws_backup_global_settings`, when `organization.globalSettings` is set. */
  readonly globalSettings?: BackupGlobalSettings;

  constructor(scope: Construct, lz: NormalizedLandingZone) {
    super(scope, { landingZone: lz, kind: "organization", accountId: lz.managementAccountId, region: lz.homeRegion });
    const org = lz.organization;
    const required = requiredTrustedAccess(lz);

    if (org.manageTrustedAccess) {
      const managed = new OrganizationsOrganization(this, "organization", {
        featureSet: "ALL",
        awsServiceAccessPrincipals: [...new Set([...org.trustedAccess, ...required])].sort(),
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
  return (
    `Trusted access for ${principal} is not enabled in the organization; an organization trail needs it. Run ` +
    `"aws organizations enable-aws-service-access --service-principal ${principal}" in the management account, ` +
    "or set organization.manageTrustedAccess: true in the landing-zone config."
  );
}
