import type { Construct } from "constructs";
import type { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";

/** Where and how a service-managed StackSet's stack instances roll out. */
export interface StackSetRollout {
  readonly regions: readonly string[];
  readonly organizationalUnitIds: readonly string[];
  readonly callAs: string;
  /** CreateStackInstances' own preferences (the StackSet's govern only its updates). */
  readonly preferences: { readonly failureTolerancePercentage: number; readonly maxConcurrentPercentage: number };
  /** The instance's create/update/delete wait, e.g. "60m". */
  readonly timeout: string;
}

/**
 * One stack instance resource per Region (ids `instance-<region>` in `scope`), each depending on the one before:
 * StackSets refuse a second operation on a StackSet while one runs.
 */
export function chainedStackSetInstances(scope: Construct, stackSet: CloudformationStackSet, rollout: StackSetRollout): CloudformationStackSetInstance[] {
  const instances: CloudformationStackSetInstance[] = [];
  for (const region of rollout.regions) {
    const previous = instances[instances.length - 1];
    instances.push(
      new CloudformationStackSetInstance(scope, `instance-${region}`, {
        stackSetName: stackSet.name,
        stackSetInstanceRegion: region,
        callAs: rollout.callAs,
        deploymentTargets: { organizationalUnitIds: [...rollout.organizationalUnitIds] },
        retainStack: false,
        operationPreferences: { ...rollout.preferences },
        timeouts: { create: rollout.timeout, update: rollout.timeout, delete: rollout.timeout },
        dependsOn: previous ? [previous] : undefined,
      }),
    );
  }
  return instances;
}
