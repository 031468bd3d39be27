import { Construct } from "constructs";
import type { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import type { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { serviceManagedStackSet } from "./service-managed-stack-set";
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
    ({ stackSet: this.stackSet, instances: this.instances } = serviceManagedStackSet(this, {
      name: props.stackSetName,
      description: "AWS Backup Audit Manager frameworks for organization compliance reports (backup-audit-insights)",
      templateBody: JSON.stringify(frameworksTemplate(props.frameworks)),
      callAs: props.callAs,
      organizationalUnitIds: props.organizationalUnitIds,
      regions: props.regions,
      operationPreferences: props.operationPreferences,
      expectedAccounts: props.expectedAccounts,
    }));
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
