import type { Construct } from "constructs";
import type { NormalizedLandingZone, NormalizedMemberFrameworks } from "../config/types";
import { AccountStack } from "./account-stack";
import { FrameworkStackSet } from "./constructs/framework-stack-set";
import { stackSetPlacementIn } from "./stack-set-placement";

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
    this.stackSet = new FrameworkStackSet(this, "frameworks", {
      ...stackSetPlacementIn(this, m),
      stackSetName: m.stackSetName,
      frameworks: lz.reports.frameworks,
    });
  }
}
