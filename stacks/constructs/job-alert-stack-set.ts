import { Construct } from "constructs";
import type { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import type { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { serviceManagedStackSet } from "./service-managed-stack-set";
import type { StackSetOperationPreferences } from "../../config/types";
import { memberAlertTemplate } from "../../alerts/member-template";

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
    ({ stackSet: this.stackSet, instances: this.instances } = serviceManagedStackSet(this, {
      name: props.stackSetName,
      description: "Forwards AWS Backup job state changes to the central alert bus (backup-audit-insights)",
      // The template creates an IAM role: CloudFormation refuses it without this acknowledgement.
      capabilities: ["CAPABILITY_IAM"],
      templateBody: JSON.stringify(
        memberAlertTemplate({ centralBusArn: props.centralBusArn, eventPattern: props.eventPattern, ruleName: props.ruleName }),
      ),
      callAs: props.callAs,
      organizationalUnitIds: props.organizationalUnitIds,
      regions: props.regions,
      operationPreferences: props.operationPreferences,
      expectedAccounts: props.expectedAccounts,
    }));
  }
}
