import type { Construct } from "constructs";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import type { NormalizedLandingZone, NormalizedMemberFrameworks } from "../config/types";
import { AccountStack } from "./account-stack";
import { FrameworkStackSet } from "./constructs/framework-stack-set";

/**
 * Member-frameworks stack (the StackSet administrator: the management account, or a StackSets delegated
 * administrator; home Region): the configured frameworks as a service-managed StackSet into the OUs and Regions
 * of the report scope. For ROOT the target is the organization's root, read from Organizations at plan time.
 */
export class MemberFrameworksStack extends AccountStack {
  /** The frameworks StackSet and its stack instances. */
  readonly stackSet: FrameworkStackSet;

  constructor(scope: Construct, lz: NormalizedLandingZone, m: NormalizedMemberFrameworks) {
    super(scope, { landingZone: lz, kind: "member-frameworks", accountId: m.administratorAccountId, region: lz.homeRegion });
    const targets = [...m.organizationalUnits];
    if (m.targetsRoot) {
      const org = new DataAwsOrganizationsOrganization(this, "organization", {});
      targets.push(org.roots.get(0).id);
    }
    this.stackSet = new FrameworkStackSet(this, "frameworks", {
      stackSetName: m.stackSetName,
      frameworks: lz.reports.frameworks,
      callAs: m.callAs,
      organizationalUnitIds: targets,
      regions: m.regions,
      operationPreferences: m.operationPreferences,
      expectedAccounts: m.expectedAccounts,
    });
  }
}
