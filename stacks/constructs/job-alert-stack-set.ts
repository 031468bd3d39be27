import { Construct } from "constructs";
import type { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import type { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { serviceManagedStackSet, type StackSetPlacement } from "./service-managed-stack-set";
import { memberAlertTemplate } from "../../alerts/member-template";

/** Properties of JobAlertStackSet: its name and forwarding rule, and where its stack instances go. */
export interface JobAlertStackSetProps extends StackSetPlacement {
  /** StackSet name. */
  readonly stackSetName: string;
  /** ARN of the central event bus the member rules forward to. */
  readonly centralBusArn: string;
  /** The job event pattern (alerts/job-event-pattern.ts). */
  readonly eventPattern: Record<string, unknown>;
  /** Name of the rule in each member account and Region. */
  readonly ruleName: string;
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
    const { stackSetName, centralBusArn, eventPattern, ruleName, ...placement } = props;
    ({ stackSet: this.stackSet, instances: this.instances } = serviceManagedStackSet(this, {
      ...placement,
      name: stackSetName,
      description: "Forwards AWS Backup job state changes to the central alert bus (backup-audit-insights)",
      // The template creates an IAM role: CloudFormation refuses it without this acknowledgement.
      capabilities: ["CAPABILITY_IAM"],
      templateBody: JSON.stringify(memberAlertTemplate({ centralBusArn, eventPattern, ruleName })),
    }));
  }
}
