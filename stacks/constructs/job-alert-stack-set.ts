import { Construct } from "constructs";
import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import type { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { chainedStackSetInstances } from "./stack-set-instances";
import { DEFAULT_EXPECTED_ACCOUNTS, DEFAULT_OPERATION_PREFERENCES } from "../../config/schema";
import type { StackSetOperationPreferences } from "../../config/types";
import { memberAlertTemplate } from "../../alerts/member-template";
import { stackInstanceTimeoutMinutes } from "./framework-stack-set";

/** Properties of JobAlertStackSet. */
export interface JobAlertStackSetProps {
  /** StackSet name. */
  readonly stackSetName: string;
  /** ARN of the central event bus the member rules forward to. */
  readonly centralBusArn: string;
  /** The job event pattern (alerts/job-event-pattern.ts). */
  readonly eventPattern: Record<string, unknown>;
  /** Name of the rule in each member account and Region. */
  readonly ruleName: string;
  /** `SELF` in the management account, `DELEGATED_ADMIN` in a StackSets delegated administrator account. */
  readonly callAs: "SELF" | "DELEGATED_ADMIN";
  /** OU ids (or the root id `r-...`, a reference is fine) the stack instances target. */
  readonly organizationalUnitIds: readonly string[];
  /** One stack instance resource per Region. */
  readonly regions: readonly string[];
  /** Rollout per Region (default 25% of the accounts at a time, 10% may fail). */
  readonly operationPreferences?: StackSetOperationPreferences;
  /** About how many accounts the target OUs hold (default 100): sizes the stack instances' timeouts. */
  readonly expectedAccounts?: number;
}

/**
 * A service-managed StackSet, deployed automatically to every account of the target OUs (and to accounts that
 * join them later), one stack instance per Region: the rule that forwards AWS Backup job state changes to the
 * central bus (alerts/member-template.ts). The same mechanism as the frameworks' StackSet (FrameworkStackSet),
 * its own StackSet so that either can change without redeploying the other. Service-managed StackSets never
 * deploy to the management account itself. Prerequisite: trusted access for
 * `member.org.stacksets.cloudformation.amazonaws.com` (BAI057).
 */
export class JobAlertStackSet extends Construct {
  /** The service-managed StackSet of the forwarding rule and its role. */
  readonly stackSet: CloudformationStackSet;
  /** One stack instance resource per Region, created one after the other. */
  readonly instances: readonly CloudformationStackSetInstance[];

  constructor(scope: Construct, id: string, props: JobAlertStackSetProps) {
    super(scope, id);
    const prefs = props.operationPreferences ?? DEFAULT_OPERATION_PREFERENCES;
    const rollout = { failureTolerancePercentage: prefs.failureTolerancePercentage, maxConcurrentPercentage: prefs.maxConcurrentPercentage };
    const timeout = `${stackInstanceTimeoutMinutes(props.expectedAccounts ?? DEFAULT_EXPECTED_ACCOUNTS, prefs)}m`;
    this.stackSet = new CloudformationStackSet(this, "stack-set", {
      name: props.stackSetName,
      description: "Forwards AWS Backup job state changes to the central alert bus (backup-audit-insights)",
      permissionModel: "SERVICE_MANAGED",
      callAs: props.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      managedExecution: { active: true },
      operationPreferences: { ...rollout, regionConcurrencyType: "PARALLEL" },
      // The template creates an IAM role: CloudFormation refuses it without this acknowledgement.
      capabilities: ["CAPABILITY_IAM"],
      templateBody: JSON.stringify(
        memberAlertTemplate({ centralBusArn: props.centralBusArn, eventPattern: props.eventPattern, ruleName: props.ruleName }),
      ),
      // Service-managed StackSets report an administration role the config never sets: a perpetual diff otherwise.
      lifecycle: { ignoreChanges: ["administration_role_arn"] },
    });
    this.instances = chainedStackSetInstances(this, this.stackSet, {
      regions: props.regions,
      organizationalUnitIds: props.organizationalUnitIds,
      callAs: props.callAs,
      preferences: rollout,
      timeout,
    });
  }
}
