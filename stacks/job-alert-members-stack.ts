import type { Construct } from "constructs";
import type { NormalizedJobAlerts, NormalizedLandingZone } from "../config/types";
import { jobEventPattern } from "../alerts/job-event-pattern";
import { AccountStack } from "./account-stack";
import { JobAlertStackSet } from "./constructs/job-alert-stack-set";
import { stackSetPlacementIn } from "./stack-set-placement";

/** ARN of the central job-alert bus (the reports account and Region); known from the config, no remote state. */
export function centralBusArn(partition: string, j: NormalizedJobAlerts): string {
  return `arn:${partition}:events:${j.busRegion}:${j.busAccountId}:event-bus/${j.busName}`;
}

/** Name of the forwarding rule in each member account and Region. */
export function memberRuleName(j: NormalizedJobAlerts): string {
  return `${j.busName}-forward`;
}

/**
 * Job-alert members stack (the StackSet administrator: the management account or a StackSets delegated
 * administrator; home Region): the StackSet that puts the forwarding rule into every account of the target OUs, in
 * every Region of `alerts.jobs.regions`. For ROOT the target is the organization's root, read at plan time.
 */
export class JobAlertMembersStack extends AccountStack {
  /** The StackSet of forwarding rules and its stack instances. */
  readonly stackSet: JobAlertStackSet;

  constructor(scope: Construct, lz: NormalizedLandingZone, j: NormalizedJobAlerts) {
    super(scope, { landingZone: lz, kind: "job-alert-members", accountId: j.administratorAccountId, region: lz.homeRegion });
    this.stackSet = new JobAlertStackSet(this, "job-alerts", {
      ...stackSetPlacementIn(this, j),
      stackSetName: j.stackSetName,
      centralBusArn: centralBusArn(this.partition, j),
      eventPattern: jobEventPattern(j.jobTypes, j.states),
      ruleName: memberRuleName(j),
    });
  }
}
