import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { BackupFramework, type BackupFrameworkControl } from "@cdktf/provider-aws/lib/backup-framework";
import type { NormalizedFramework, NormalizedFrameworkControl } from "../../config/types";

/** Properties of BackupFrameworks. */
export interface BackupFrameworksProps {
  /** One `aws_backup_framework` per entry. AWS Config recording must be on in the account for them to deploy. */
  readonly frameworks: readonly NormalizedFramework[];
  /** Created first, e.g. the explicit reports service-linked role (a framework creates it otherwise). */
  readonly dependsOn?: ITerraformDependable[];
}

/** AWS Backup Audit Manager frameworks: controls with their input parameters and optional scope. */
export class BackupFrameworks extends Construct {
  /** One `aws_backup_framework` per configured framework. */
  readonly frameworks: readonly BackupFramework[];

  constructor(scope: Construct, id: string, props: BackupFrameworksProps) {
    super(scope, id);
    this.frameworks = props.frameworks.map(
      (f) =>
        new BackupFramework(this, f.name, {
          name: f.name,
          description: f.description.length > 0 ? f.description : undefined,
          control: f.controls.map(frameworkControl),
          dependsOn: props.dependsOn,
        }),
    );
  }
}

/** A control block; parameters sorted by name so the synthesized JSON is stable. Exported for tests. */
export function frameworkControl(control: NormalizedFrameworkControl): BackupFrameworkControl {
  const parameters = Object.keys(control.parameters)
    .sort()
    .map((name) => ({ name, value: control.parameters[name] }));
  const scope = control.scope;
  return {
    name: control.name,
    inputParameter: parameters.length > 0 ? parameters : undefined,
    scope:
      scope && (scope.complianceResourceIds || scope.complianceResourceTypes || scope.tags)
        ? {
            complianceResourceIds: scope.complianceResourceIds,
            complianceResourceTypes: scope.complianceResourceTypes,
            tags: scope.tags,
          }
        : undefined,
  };
}
