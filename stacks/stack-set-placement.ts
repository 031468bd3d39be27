import type { Construct } from "constructs";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import type { NormalizedStackSetPlacement } from "../config/types";
import type { StackSetPlacement } from "./constructs/service-managed-stack-set";

/**
 * A StackSet construct's placement from the config's: its OUs, or for ROOT the organization's root, read from
 * Organizations at plan time (the data source `organization` in `stack`).
 */
export function stackSetPlacementIn(stack: Construct, p: NormalizedStackSetPlacement): StackSetPlacement {
  const targets = [...p.organizationalUnits];
  if (p.targetsRoot) targets.push(new DataAwsOrganizationsOrganization(stack, "organization", {}).roots.get(0).id);
  return {
    callAs: p.callAs,
    organizationalUnitIds: targets,
    regions: p.regions,
    operationPreferences: p.operationPreferences,
    expectedAccounts: p.expectedAccounts,
  };
}
