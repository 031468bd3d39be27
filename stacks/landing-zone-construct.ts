import { Construct } from "constructs";
import type { TerraformStack } from "cdktf";
import { JOB_ALERTS_PACKAGE, PARTITIONER_PACKAGE, requireJobAlertsPackage, requirePartitionerPackage } from "../app/synth";
import { ConfigError } from "../config/loader";
import { normalizeLandingZone } from "../config/normalize";
import { landingZoneConfigSchema, type LandingZoneConfigInput } from "../config/schema";
import type { NormalizedLandingZone } from "../config/types";
import { loadNamedQueries, loadTrailQueries, queriesForPlans } from "../queries/catalog";
import { buildLandingZoneStacks, type LandingZoneStacks } from "./landing-zone";
import { addPolicyGate } from "./policy-gate-validation";

/** Properties of {@link LandingZone}. */
export interface LandingZoneProps {
  /**
   * The landing zone, with the fields and defaults of a landing-zone YAML file (config/landing-zone.schema.json);
   * it is checked by the same schema, so an invalid value throws a ConfigError naming the field.
   */
  readonly config: LandingZoneConfigInput;
  /**
   * What policy violations and config errors name as the landing zone's file, e.g. the TypeScript file that
   * defines it. Default: `LandingZone <construct path>`.
   */
  readonly source?: string;
  /**
   * Folders of your own Rego rules (package `backup_audit.config`) that the config gate adds to the built-in
   * ones; compiling them needs `opa` (v1.22.3) on PATH. Default: none, only the built-in policies.
   */
  readonly policyDirs?: readonly string[];
  /**
   * The partitioner Lambda deployment package (zip with index.js). Default: the one shipped in this package
   * (lambdas/partitioner/dist/partitioner.zip).
   */
  readonly partitionerPackage?: string;
  /**
   * The job-alerts formatter package (zip with index.js), used with `alerts.jobs`. Default: the one shipped in
   * this package (lambdas/job-alerts/dist/job-alerts.zip).
   */
  readonly jobAlertsPackage?: string;
}

/**
 * One landing zone's stacks — organization, reporting, analytics (unless disabled) and audit trail (when
 * configured) — from a typed config object, as `cdktf synth` with a YAML file would create them. The stacks are
 * created beside this construct in `scope` (normally the App) and named `<config.name>-<kind>`: cdktf resolves
 * stack dependencies by construct path, so stacks must sit at the top of the app for `cdktf deploy` to order
 * them. The policy gate runs as cdktf validations on the stacks: synth refuses a landing zone whose config or
 * Terraform breaks a policy, with the messages of `backup-audit validate`.
 */
export class LandingZone extends Construct {
  /** The landing zone with every default applied and every derived name computed (what the policies check). */
  readonly landingZone: NormalizedLandingZone;
  /** The stacks created for this landing zone. */
  readonly stacks: LandingZoneStacks;

  constructor(scope: Construct, id: string, props: LandingZoneProps) {
    super(scope, id);
    const source = props.source ?? `LandingZone ${this.node.path}`;
    const parsed = landingZoneConfigSchema.safeParse(props.config);
    if (!parsed.success) {
      throw new ConfigError(
        parsed.error.issues.map((issue) => ({
          file: source,
          path: issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, ""),
          message: issue.message,
          line: null,
          column: null,
        })),
      );
    }
    this.landingZone = normalizeLandingZone(parsed.data, source);
    const partitionerPackage = props.partitionerPackage ?? PARTITIONER_PACKAGE;
    if (this.landingZone.analytics.enabled) requirePartitionerPackage(partitionerPackage);
    const jobAlertsPackage = props.jobAlertsPackage ?? JOB_ALERTS_PACKAGE;
    if (this.landingZone.alerts.jobs !== null) requireJobAlertsPackage(jobAlertsPackage);
    this.stacks = buildLandingZoneStacks(scope, this.landingZone, {
      partitionerPackage,
      jobAlertsPackage,
      namedQueries: queriesForPlans(loadNamedQueries(), this.landingZone.reports.plans),
      trailQueries: loadTrailQueries(),
    });
    addPolicyGate(this.landingZone, this.stackList(), props.policyDirs);
  }

  /** The stacks in deployment order (a stack comes after those it depends on). */
  stackList(): TerraformStack[] {
    // Every stack buildLandingZoneStacks returns, whatever its kinds: a stack can only depend on one created
    // before it, and the result lists them in creation order.
    return Object.values(this.stacks).filter((s): s is TerraformStack => s !== undefined);
  }
}
