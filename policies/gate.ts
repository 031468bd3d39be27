import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { loadPolicySync, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { commaListFromEnv } from "../config/env-list";
import { PROJECT_ROOT } from "../app/project-root";
import type { NormalizedLandingZone } from "../config/types";
import { readBuiltModule, StalePolicyError } from "./build-manifest";
import { buildConfigInput, buildTerraformInput } from "./input";
import { buildWasm, OpaBuildError, OpaMissingError, requireOpa } from "./opa-cli";
import { CONFIG_WARNINGS_ENTRYPOINT, entrypointsOf, isPolicyModule, POLICY_SETS, type PolicySetName } from "./policy-sets";
import { compareViolations, toViolation, type Violation } from "./violation";

/**
 * The policy gate: Rego policies (policies/config before synth, policies/terraform after it) built by
 * `opa build -t wasm`, committed with a manifest, and evaluated with OPA's own Wasm SDK. Loading a committed
 * module needs neither `opa` nor Go; only custom policy folders are compiled here, by the real `opa`.
 */

export type { Violation } from "./violation";
export { formatViolations, formatWarnings, type ViolationFormat } from "./format";

/** Options of the config gate. */
export interface GateOptions {
  /**
   * Folders of a platform team's own Rego rules for the config gate. Their modules join package
   * `backup_audit.config` and add to `violations` like the built-in rules; they are compiled together with the
   * built-in config policies by `opa build` (so this needs OPA, see scripts/ensure-opa.sh).
   */
  readonly policyDirs?: readonly string[];
}

/** A custom policy folder that cannot be used (missing, empty, or not in the gate's package). */
export class PolicySourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicySourceError";
  }
}

/** Evaluating the policies threw (e.g. a builtin the Wasm SDK implements differently from `opa eval`). */
export class PolicyEvaluationError extends Error {
  constructor(kind: PolicySetName, policyDirs: readonly string[], cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const custom = policyDirs.length > 0 ? ` with the custom folder(s) ${policyDirs.join(", ")}` : "";
    const hint = /sprintf/.test(why)
      ? " (OPA's Wasm SDK formats sprintf with sprintf-js: use %s, %d or %v; Go-only verbs such as %q fail there although opa test accepts them)"
      : "";
    super(`evaluating the ${kind} policies${custom} failed: ${why}${hint}`);
    this.name = "PolicyEvaluationError";
  }
}

/** The package custom rules must declare to add to the config gate's `violations`. */
export const CUSTOM_POLICY_PACKAGE = "backup_audit.config";

/** The package of custom rules for the plan guard (`check-plan --policy`): they add to `deny` and `warn`. */
export const CUSTOM_PLAN_POLICY_PACKAGE = "backup_audit.plan";

/** Where each package's custom rules add their findings (for messages). */
const CUSTOM_RULE_TARGETS: Readonly<Record<string, string>> = {
  [CUSTOM_POLICY_PACKAGE]: "add to `violations` (see docs/policies.md, \"Your own rules\")",
  [CUSTOM_PLAN_POLICY_PACKAGE]: "add to `deny` or `warn` (see docs/policies.md, \"Plan guard\")",
};

/** Checks a custom policy folder (its modules must declare `pkg`) and returns its absolute path. */
export function checkPolicyDir(dir: string, pkg: string = CUSTOM_POLICY_PACKAGE): string {
  const abs = path.resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new PolicySourceError(`custom policy folder ${dir} does not exist (give a folder of .rego files)`);
  }
  const modules = readdirSync(abs).filter(isPolicyModule).sort();
  if (modules.length === 0) throw new PolicySourceError(`custom policy folder ${dir} has no .rego policy files (tests *_test.rego do not count)`);
  for (const f of modules) {
    const declared = /^package\s+([\w.]+)/m.exec(readFileSync(path.join(abs, f), "utf8"))?.[1];
    if (declared !== pkg) {
      throw new PolicySourceError(
        `${path.join(dir, f)} declares package ${declared ?? "(none)"}: custom rules must be in package ${pkg} ` +
          `and ${CUSTOM_RULE_TARGETS[pkg] ?? "add to its rules"}`,
      );
    }
  }
  return abs;
}

/** Names custom policy folders for synth (comma-separated), as `validate --policy` does. */
export const POLICIES_ENV_VAR = "BACKUP_AUDIT_POLICIES";

/** The custom policy folders named by BACKUP_AUDIT_POLICIES ([] when unset). */
export function policyDirsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = commaListFromEnv(env, POLICIES_ENV_VAR);
  if (dirs === undefined) return [];
  if (dirs.length === 0) throw new PolicySourceError(`$${POLICIES_ENV_VAR} is set but names no folder: set it to comma-separated folders of .rego files, or unset it`);
  return dirs;
}

/**
 * Errors that mean the gate itself cannot run (stale committed module, no opa for a custom folder, a custom
 * folder that is missing or does not compile): reported as unusable input (exit 2), never as violations.
 */
export function isGateSetupError(err: unknown): err is Error {
  return (
    err instanceof StalePolicyError ||
    err instanceof OpaMissingError ||
    err instanceof OpaBuildError ||
    err instanceof PolicySourceError ||
    err instanceof PolicyEvaluationError
  );
}

const loaded = new Map<string, LoadedPolicy>();

/** The package custom folders of a set declare; the post-synth set takes none. */
const CUSTOM_PACKAGES: Readonly<Record<PolicySetName, string | null>> = {
  config: CUSTOM_POLICY_PACKAGE,
  terraform: null,
  plan: CUSTOM_PLAN_POLICY_PACKAGE,
};

function loadGatePolicy(kind: PolicySetName, policyDirs: readonly string[]): LoadedPolicy {
  const pkg = CUSTOM_PACKAGES[kind];
  const requested = pkg === null ? [] : policyDirs;
  const key = [kind, ...requested.map((d) => path.resolve(d))].join("\0");
  let policy = loaded.get(key);
  if (!policy) {
    // Checked once per folder set, with the compile: evaluations after that read no files.
    const dirs = pkg === null ? [] : requested.map((d) => checkPolicyDir(d, pkg));
    const set = POLICY_SETS[kind];
    const wasm =
      dirs.length === 0
        ? readBuiltModule(set)
        : buildWasm(requireOpa(`Compiling the custom policy folder(s) ${policyDirs.join(", ")}`), {
            entrypoints: entrypointsOf(set),
            paths: [set.dir, ...dirs],
            cwd: PROJECT_ROOT,
          });
    policy = loadPolicySync(wasm);
    loaded.set(key, policy);
  }
  return policy;
}

/** Forgets loaded modules (tests and benchmarks that measure start-up). */
export function resetGatePolicies(): void {
  loaded.clear();
}

/**
 * Evaluates a set's entrypoint (by default its violations; with the custom folders of sets that take them) on an
 * input document and returns the value, or undefined when the entrypoint is undefined for that input. Errors
 * while evaluating are PolicyEvaluationError (a setup error: exit 2, never a pass).
 */
export function evaluatePolicySet(
  kind: PolicySetName,
  input: unknown,
  policyDirs: readonly string[] = [],
  entrypoint: string = POLICY_SETS[kind].entrypoint,
): unknown {
  const policy = loadGatePolicy(kind, policyDirs);
  let resultSet: unknown;
  try {
    resultSet = policy.evaluate(input, entrypoint);
  } catch (err) {
    throw new PolicyEvaluationError(kind, policyDirs, err);
  }
  if (!Array.isArray(resultSet)) throw new Error(`${kind} policies returned ${JSON.stringify(resultSet)}`);
  if (resultSet.length === 0) return undefined;
  return (resultSet[0] as { result?: unknown }).result;
}

function evaluate(kind: PolicySetName, input: unknown, options: GateOptions, entrypoint = POLICY_SETS[kind].entrypoint): Violation[] {
  const result = evaluatePolicySet(kind, input, options.policyDirs ?? [], entrypoint);
  // A partial set is always defined; an undefined result would mean the entrypoint is missing.
  if (result === undefined) return [];
  if (!Array.isArray(result)) throw new Error(`${kind} policies: violations is not a set: ${JSON.stringify(result)}`);
  return result.map(toViolation).sort(compareViolations);
}

/** Runs the config policies (and any custom ones) on every landing zone of the run; [] when all pass. Synchronous. */
export function evaluateConfigPoliciesSync(lzs: readonly NormalizedLandingZone[], options: GateOptions = {}): Violation[] {
  return evaluate("config", buildConfigInput(lzs), options);
}

/**
 * The config policies' warnings (`warnings contains w` in the Rego, custom folders included): findings worth a
 * line on stderr that do not stop synth, e.g. alarms nobody is subscribed to (BAI054). Same record as a violation.
 */
export function evaluateConfigWarningsSync(lzs: readonly NormalizedLandingZone[], options: GateOptions = {}): Violation[] {
  return evaluate("config", buildConfigInput(lzs), options, CONFIG_WARNINGS_ENTRYPOINT);
}

/** evaluateConfigWarningsSync for callers that await. */
export async function evaluateConfigWarnings(lzs: readonly NormalizedLandingZone[], options: GateOptions = {}): Promise<Violation[]> {
  return evaluateConfigWarningsSync(lzs, options);
}

/** Runs the post-synth policies on the synthesized stacks (`{<stack name>: <cdk.tf.json parsed>}`). Synchronous. */
export function evaluateTerraformPoliciesSync(stacks: Record<string, unknown>): Violation[] {
  return evaluate("terraform", buildTerraformInput(stacks), {});
}

/** evaluateConfigPoliciesSync for callers that await (synth's gate interface). */
export async function evaluateConfigPolicies(lzs: readonly NormalizedLandingZone[], options: GateOptions = {}): Promise<Violation[]> {
  return evaluateConfigPoliciesSync(lzs, options);
}

/** evaluateTerraformPoliciesSync for callers that await. */
export async function evaluateTerraformPolicies(stacks: Record<string, unknown>): Promise<Violation[]> {
  return evaluateTerraformPoliciesSync(stacks);
}
