import type { Construct } from "constructs";
import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { DEFAULT_EXPECTED_ACCOUNTS, DEFAULT_OPERATION_PREFERENCES } from "../../config/schema";
import type { StackSetOperationPreferences } from "../../config/types";

/** Where a service-managed StackSet's stack instances go, and how they roll out. */
export interface StackSetPlacement {
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

/** What a service-managed StackSet of this project deploys, and where. */
export interface ServiceManagedStackSetProps extends StackSetPlacement {
  /** StackSet name. */
  readonly name: string;
  /** StackSet description (shown in the CloudFormation console of the administrator account). */
  readonly description: string;
  /** The CloudFormation template, as JSON text. */
  readonly templateBody: string;
  /** Capabilities the template needs (e.g. `CAPABILITY_IAM` for a role); none by default. */
  readonly capabilities?: readonly string[];
}

/**
 * A service-managed StackSet (`stack-set` in `scope`), deployed automatically to every account of the target OUs
 * and to accounts that join them later, and one stack instance per Region (`instance-<region>`), each created after
 * the one before: StackSets refuse a second operation on a StackSet while one runs. Service-managed StackSets never
 * deploy to the management account itself. Prerequisite: trusted access for
 * `member.org.stacksets.cloudformation.amazonaws.com`.
 */
export function serviceManagedStackSet(
  scope: Construct,
  props: ServiceManagedStackSetProps,
): { stackSet: CloudformationStackSet; instances: CloudformationStackSetInstance[] } {
  const prefs = props.operationPreferences ?? DEFAULT_OPERATION_PREFERENCES;
  const rollout = { failureTolerancePercentage: prefs.failureTolerancePercentage, maxConcurrentPercentage: prefs.maxConcurrentPercentage };
  const timeout = `${stackInstanceTimeoutMinutes(props.expectedAccounts ?? DEFAULT_EXPECTED_ACCOUNTS, prefs)}m`;
  const stackSet = new CloudformationStackSet(scope, "stack-set", {
    name: props.name,
    description: props.description,
    permissionModel: "SERVICE_MANAGED",
    callAs: props.callAs,
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
    managedExecution: { active: true },
    operationPreferences: { ...rollout, regionConcurrencyType: "PARALLEL" },
    ...(props.capabilities ? { capabilities: [...props.capabilities] } : {}),
    templateBody: props.templateBody,
    // Service-managed StackSets report an administration role the config never sets: a perpetual diff otherwise.
    lifecycle: { ignoreChanges: ["administration_role_arn"] },
  });
  // The StackSet's operation preferences govern only its own updates; CreateStackInstances, which creates a stack
  // in every account of the OUs, takes its own (else one account at a time, no failure tolerated), and its wait is
  // the instance's create timeout (the provider's default, 30 minutes, is too short for hundreds of accounts).
  const instances: CloudformationStackSetInstance[] = [];
  for (const region of props.regions) {
    const previous = instances[instances.length - 1];
    instances.push(
      new CloudformationStackSetInstance(scope, `instance-${region}`, {
        stackSetName: stackSet.name,
        stackSetInstanceRegion: region,
        callAs: props.callAs,
        deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] },
        retainStack: false,
        operationPreferences: { ...rollout },
        timeouts: { create: timeout, update: timeout, delete: timeout },
        dependsOn: previous ? [previous] : undefined,
      }),
    );
  }
  return { stackSet, instances };
}

/**
 * Minutes one batch of accounts may take: a stack of AWS::Backup::Framework resources, each deploying its AWS Config
 * rules ("might take several minutes", AWS Backup guide), the longest of this project's templates; an estimate with
 * room, not a measurement.
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
