import { Construct } from "constructs";
import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import type { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { chainedStackSetInstances } from "./stack-set-instances";
import { DEFAULT_EXPECTED_ACCOUNTS, DEFAULT_OPERATION_PREFERENCES } from "../../config/schema";
import type { NormalizedFramework, StackSetOperationPreferences } from "../../config/types";

/** Properties of FrameworkStackSet. */
export interface FrameworkStackSetProps {
  /** StackSet name. */
  readonly stackSetName: string;
  /** One `AWS::Backup::Framework` per entry in the template. */
  readonly frameworks: readonly NormalizedFramework[];
  /** `SELF` in the management account, `DELEGATED_ADMIN` in a StackSets delegated administrator account. */
  readonly callAs: "SELF" | "DELEGATED_ADMIN";
  /** OU ids (or the root id `r-...`, a reference is fine) the stack instances target. */
  readonly organizationalUnitIds: readonly string[];
  /** One stack instance resource per Region. */
  readonly regions: readonly string[];
  /**
   * How many target accounts per Region CloudFormation deploys at a time and may see fail, for the StackSet's
   * updates and the stack instances' first rollout alike. Default 25% at a time, 10% may fail.
   */
  readonly operationPreferences?: StackSetOperationPreferences;
  /** About how many accounts the target OUs hold (default 100): sizes the stack instances' timeouts. */
  readonly expectedAccounts?: number;
}

/**
 * Minutes one batch of accounts may take: a stack of AWS::Backup::Framework resources, each deploying its AWS Config
 * rules ("might take several minutes", AWS Backup guide); an estimate with room, not a measurement.
 */
export const MINUTES_PER_BATCH = 5;

/** The provider's own default (30 minutes) is the floor: a small organization keeps it. */
export const MIN_INSTANCE_TIMEOUT_MINUTES = 30;

/**
 * How long one stack-instance operation (one Region, every account of the target OUs) may take: the accounts in
 * batches of CloudFormation's concurrency, MINUTES_PER_BATCH each, plus 10 minutes to start and finish. Under the
 * default STRICT_FAILURE_TOLERANCE mode CloudFormation runs at most the failure tolerance + 1 accounts at a time
 * (StackSetOperationPreferences, CloudFormation API reference), and percentages round down (at least one account).
 * Pure; exported for tests and docs.
 */
export function stackInstanceTimeoutMinutes(accounts: number, prefs: StackSetOperationPreferences = DEFAULT_OPERATION_PREFERENCES): number {
  const maxConcurrent = Math.max(1, Math.floor((accounts * prefs.maxConcurrentPercentage) / 100));
  const tolerated = Math.floor((accounts * prefs.failureTolerancePercentage) / 100);
  const concurrency = Math.max(1, Math.min(maxConcurrent, tolerated + 1));
  const batches = Math.ceil(accounts / concurrency);
  return Math.max(MIN_INSTANCE_TIMEOUT_MINUTES, 10 + batches * MINUTES_PER_BATCH);
}

/**
 * A service-managed CloudFormation StackSet of `AWS::Backup::Framework`, deployed automatically to every
 * account of the target OUs (and to accounts that join them later), one stack instance per Region: the
 * frameworks exist where the data is, which organization compliance reports aggregate (fact sheet §12).
 * Prerequisites: trusted access for `member.org.stacksets.cloudformation.amazonaws.com`, and AWS Config
 * recording in every target account and Region (the controls are Config rules). Service-managed StackSets
 * never deploy to the management account itself.
 */
export class FrameworkStackSet extends Construct {
  /** The service-managed StackSet. */
  readonly stackSet: CloudformationStackSet;
  /** One stack instance resource per Region, created one after the other. */
  readonly instances: readonly CloudformationStackSetInstance[];

  constructor(scope: Construct, id: string, props: FrameworkStackSetProps) {
    super(scope, id);
    const prefs = props.operationPreferences ?? DEFAULT_OPERATION_PREFERENCES;
    const rollout = { failureTolerancePercentage: prefs.failureTolerancePercentage, maxConcurrentPercentage: prefs.maxConcurrentPercentage };
    const timeout = `${stackInstanceTimeoutMinutes(props.expectedAccounts ?? DEFAULT_EXPECTED_ACCOUNTS, prefs)}m`;
    this.stackSet = new CloudformationStackSet(this, "stack-set", {
      name: props.stackSetName,
      description: "AWS Backup Audit Manager frameworks for organization compliance reports (backup-audit-insights)",
      permissionModel: "SERVICE_MANAGED",
      callAs: props.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      managedExecution: { active: true },
      operationPreferences: { ...rollout, regionConcurrencyType: "PARALLEL" },
      templateBody: JSON.stringify(frameworksTemplate(props.frameworks)),
      // Service-managed StackSets report an administration role the config never sets: a perpetual diff otherwise.
      lifecycle: { ignoreChanges: ["administration_role_arn"] },
    });
    // The StackSet's operation preferences govern only its own updates; CreateStackInstances, which creates a stack
    // in every account of the OUs, takes its own (else one account at a time, no failure tolerated), and its wait is
    // the instance's create timeout (the provider's default, 30 minutes, is too short for hundreds of accounts).
    this.instances = chainedStackSetInstances(this, this.stackSet, {
      regions: props.regions,
      organizationalUnitIds: props.organizationalUnitIds,
      callAs: props.callAs,
      preferences: rollout,
      timeout,
    });
  }
}

/** The CloudFormation template: one `AWS::Backup::Framework` per framework. Pure; exported for tests. */
export function frameworksTemplate(frameworks: readonly NormalizedFramework[]): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  frameworks.forEach((f, i) => {
    resources[`Framework${i}`] = {
      Type: "AWS::Backup::Framework",
      Properties: {
        FrameworkName: f.name,
        ...(f.description ? { FrameworkDescription: f.description } : {}),
        FrameworkControls: f.controls.map((c) => {
          const parameters = Object.keys(c.parameters)
            .sort()
            .map((name) => ({ ParameterName: name, ParameterValue: c.parameters[name] }));
          const scope = c.scope;
          return {
            ControlName: c.name,
            ...(parameters.length > 0 ? { ControlInputParameters: parameters } : {}),
            ...(scope && (scope.complianceResourceIds || scope.complianceResourceTypes || scope.tags)
              ? {
                  ControlScope: {
                    ...(scope.complianceResourceIds ? { ComplianceResourceIds: scope.complianceResourceIds } : {}),
                    ...(scope.complianceResourceTypes ? { ComplianceResourceTypes: scope.complianceResourceTypes } : {}),
                    ...(scope.tags
                      ? { Tags: Object.entries(scope.tags).map(([Key, Value]) => ({ Key, Value })) }
                      : {}),
                  },
                }
              : {}),
          };
        }),
      },
    };
  });
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "AWS Backup Audit Manager frameworks (backup-audit-insights)",
    Resources: resources,
  };
}
