import type { IConstruct, IValidation } from "constructs";
import type { TerraformStack } from "cdktf";
import type { NormalizedLandingZone } from "../config/types";
import { evaluateConfigPoliciesSync, evaluateTerraformPoliciesSync, formatViolations, isGateSetupError, type Violation } from "../policies/gate";

/**
 * The policy gate as cdktf validations, for apps built from the library (main.ts runs the same policies around
 * its own synth). cdktf 0.21's `App.synth()` synthesizes stack by stack and runs every validation of a stack's
 * constructs (`TerraformStack.runAllValidations`) before writing that stack, and throws on the first failure;
 * the gate's validations sit on the stacks themselves so that a refused landing zone stops synth before its
 * files are written. Policies see every gated landing zone of the app at once (some rules count across landing
 * zones, e.g. unique bucket names), so each result is computed once per app and shared by the stacks.
 */

interface GatedZone {
  readonly landingZone: NormalizedLandingZone;
  readonly stacks: readonly TerraformStack[];
  readonly policyDirs: readonly string[];
}

interface AppGate {
  readonly zones: GatedZone[];
  /** Config violations by custom policy folders (joined), for the zones registered when computed. */
  readonly config: Map<string, { zoneCount: number; violations: Violation[] }>;
  terraform?: { zoneCount: number; violations: Violation[] };
}

const gates = new WeakMap<IConstruct, AppGate>();

function gateOf(root: IConstruct): AppGate {
  let gate = gates.get(root);
  if (!gate) {
    gate = { zones: [], config: new Map() };
    gates.set(root, gate);
  }
  return gate;
}

function configViolations(gate: AppGate, policyDirs: readonly string[]): Violation[] {
  const key = policyDirs.join("\0");
  const cached = gate.config.get(key);
  if (cached && cached.zoneCount === gate.zones.length) return cached.violations;
  const violations = evaluateConfigPoliciesSync(
    gate.zones.map((z) => z.landingZone),
    { policyDirs },
  );
  gate.config.set(key, { zoneCount: gate.zones.length, violations });
  return violations;
}

function terraformViolations(gate: AppGate): Violation[] {
  if (gate.terraform && gate.terraform.zoneCount === gate.zones.length) return gate.terraform.violations;
  // toTerraform() is what the synthesizer writes to cdk.tf.json; App.synth has prepared every stack already.
  const docs: Record<string, unknown> = {};
  for (const zone of gate.zones) for (const stack of zone.stacks) docs[stack.node.id] = stack.toTerraform();
  const violations = evaluateTerraformPoliciesSync(docs);
  gate.terraform = { zoneCount: gate.zones.length, violations };
  return violations;
}

/** The error text of a refused stack: the lines `backup-audit validate` prints, under a heading. */
function refusal(what: string, violations: readonly Violation[]): string[] {
  if (violations.length === 0) return [];
  return [`Policy violations in the ${what}; this stack is not synthesized:\n${formatViolations(violations, "text").trimEnd()}`];
}

function guarded(run: () => string[]): string[] {
  try {
    return run();
  } catch (err) {
    // A stale committed module, no opa for a custom folder, ...: the gate cannot run, which must also refuse.
    if (isGateSetupError(err)) return [`The policy gate cannot run: ${err.message}`];
    throw err;
  }
}

class ConfigGateValidation implements IValidation {
  constructor(
    private readonly gate: AppGate,
    private readonly zone: GatedZone,
  ) {}

  validate(): string[] {
    return guarded(() => refusal(`landing-zone config "${this.zone.landingZone.name}"`, this.own()));
  }

  /** This landing zone's config violations. */
  own(): Violation[] {
    const name = this.zone.landingZone.name;
    return configViolations(this.gate, this.zone.policyDirs).filter((v) => v.landingZone === undefined || v.landingZone === name);
  }
}

class TerraformGateValidation implements IValidation {
  constructor(
    private readonly gate: AppGate,
    private readonly stack: TerraformStack,
    private readonly config: ConfigGateValidation,
  ) {}

  validate(): string[] {
    return guarded(() => {
      // A refused config is reported by the config validation; its Terraform is not worth checking.
      if (this.config.own().length > 0) return [];
      const file = `stacks/${this.stack.node.id}/cdk.tf.json`;
      return refusal(`synthesized Terraform of ${this.stack.node.id}`, terraformViolations(this.gate).filter((v) => v.file === file));
    });
  }
}

/**
 * Puts the policy gate on a landing zone's stacks: its config policies, then the post-synth policies on each
 * stack's Terraform JSON. `App({ skipValidation: true })` skips them, like every cdktf validation.
 */
export function addPolicyGate(landingZone: NormalizedLandingZone, stacks: readonly TerraformStack[], policyDirs: readonly string[] = []): void {
  if (stacks.length === 0) return;
  const gate = gateOf(stacks[0].node.root);
  const zone: GatedZone = { landingZone, stacks, policyDirs };
  gate.zones.push(zone);
  const config = new ConfigGateValidation(gate, zone);
  for (const stack of stacks) {
    stack.node.addValidation(config);
    stack.node.addValidation(new TerraformGateValidation(gate, stack, config));
  }
}
