import { Construct } from "constructs";
import type { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import type { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { serviceManagedStackSet, type StackSetPlacement } from "./service-managed-stack-set";
import type { NormalizedFramework } from "../../config/types";

/** Properties of FrameworkStackSet: its name and frameworks, and where its stack instances go. */
export interface FrameworkStackSetProps extends StackSetPlacement {
  /** StackSet name. */
  readonly stackSetName: string;
  /** One `AWS::Backup::Framework` per entry in the template. */
  readonly frameworks: readonly NormalizedFramework[];
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
    const { stackSetName, frameworks, ...placement } = props;
    ({ stackSet: this.stackSet, instances: this.instances } = serviceManagedStackSet(this, {
      ...placement,
      name: stackSetName,
      description: "AWS Backup Audit Manager frameworks for organization compliance reports (backup-audit-insights)",
      templateBody: JSON.stringify(frameworksTemplate(frameworks)),
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
