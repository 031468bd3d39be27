import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import type { NormalizedLandingZone } from "../config/types";
import { compiledPolicy, gatePolicySets, type CompileCacheOptions, type PolicySet } from "./compile-cache";
import { buildConfigInput, buildTerraformInput } from "./input";
import { compareViolations, toViolation, type Violation } from "./violation";

/**
 * The policy gate: Rego policies (policies/config before synth, policies/terraform after it) compiled to
 * WebAssembly and evaluated with the unmodified OPA Wasm SDK. The rules themselves live only in Rego.
 */

export type { Violation } from "./violation";
export { formatViolations, type ViolationFormat } from "./format";

type PolicyKind = "config" | "terraform";

const loaded = new Map<PolicyKind, Promise<LoadedPolicy>>();

function policySet(kind: PolicyKind): PolicySet {
  return gatePolicySets()[kind];
}

/** Loads (compiling or reading the cache once per process) the Wasm module of a policy set. */
export function loadGatePolicy(kind: PolicyKind, options: CompileCacheOptions = {}): Promise<LoadedPolicy> {
  let p = loaded.get(kind);
  if (!p) {
    p = compiledPolicy(policySet(kind), options).then((c) => loadPolicy(c.wasm));
    // A failed load (e.g. a compile error) must not stick: the next call retries.
    p.catch(() => loaded.delete(kind));
    loaded.set(kind, p);
  }
  return p;
}

/** Forgets loaded modules (tests and benchmarks that measure start-up). */
export function resetGatePolicies(): void {
  loaded.clear();
}

async function evaluate(kind: PolicyKind, input: unknown): Promise<Violation[]> {
  const policy = await loadGatePolicy(kind);
  const resultSet: unknown = policy.evaluate(input, policySet(kind).entrypoint);
  if (!Array.isArray(resultSet)) throw new Error(`${kind} policies returned ${JSON.stringify(resultSet)}`);
  // A partial set is always defined; an empty result set would mean the entrypoint is missing.
  if (resultSet.length === 0) return [];
  const result = (resultSet[0] as { result?: unknown }).result;
  if (!Array.isArray(result)) throw new Error(`${kind} policies: violations is not a set: ${JSON.stringify(result)}`);
  return result.map(toViolation).sort(compareViolations);
}

/** Runs the config policies on every landing zone of the run; [] when all pass. */
export function evaluateConfigPolicies(lzs: NormalizedLandingZone[]): Promise<Violation[]> {
  return evaluate("config", buildConfigInput(lzs));
}

/** Runs the post-synth policies on the synthesized stacks (`{<stack name>: <cdk.tf.json parsed>}`). */
export function evaluateTerraformPolicies(stacks: Record<string, unknown>): Promise<Violation[]> {
  return evaluate("terraform", buildTerraformInput(stacks));
}

/** Thrown by the enforce functions: carries the violations for callers that print them their own way. */
export class PolicyGateError extends Error {
  constructor(
    readonly stage: PolicyKind,
    readonly violations: Violation[],
  ) {
    super(`${stage} policy gate: ${violations.length} violation(s): ${violations.map((v) => `${v.id} ${v.path}`).join(", ")}`);
    this.name = "PolicyGateError";
  }
}

/** Throws PolicyGateError unless every landing zone passes the config policies. */
export async function enforceConfigPolicies(lzs: NormalizedLandingZone[]): Promise<void> {
  const violations = await evaluateConfigPolicies(lzs);
  if (violations.length > 0) throw new PolicyGateError("config", violations);
}

/** Throws PolicyGateError unless the synthesized stacks pass the Terraform policies. */
export async function enforceTerraformPolicies(stacks: Record<string, unknown>): Promise<void> {
  const violations = await evaluateTerraformPolicies(stacks);
  if (violations.length > 0) throw new PolicyGateError("terraform", violations);
}
