/**
 * Thin helpers over the unmodified `@open-policy-agent/opa-wasm` SDK, so the test runner, the conformance
 * harness and the application load compiled policies the same way OPA-built bundles are loaded.
 */

import { loadPolicy, loadPolicySync, LoadedPolicy } from "@open-policy-agent/opa-wasm";

export type { LoadedPolicy };

/** One evaluation's outcome: `defined` false when the entrypoint is undefined (result set `[]`). */
export interface Evaluation {
  defined: boolean;
  /** The entrypoint's value (sets arrive as arrays, as the SDK dumps them). Undefined when not defined. */
  value: unknown;
}

/** Instantiates a compiled module (OPA Wasm ABI) with the SDK. */
export async function loadCompiled(wasm: Uint8Array): Promise<LoadedPolicy> {
  return loadPolicy(toBufferSource(wasm));
}

/** Synchronous variant (Node only; browsers' main thread forbids synchronous compilation of large modules). */
export function loadCompiledSync(wasm: Uint8Array): LoadedPolicy {
  return loadPolicySync(toBufferSource(wasm));
}

/**
 * Evaluates `entrypoint` ("pkg/rule" or its id). When `data` is given it replaces the policy's base data
 * first. Errors raised by the policy (aborts such as conflicts) propagate as thrown Errors.
 */
export function evaluate(policy: LoadedPolicy, entrypoint: string | number, input: unknown, data?: unknown): Evaluation {
  if (data !== undefined) policy.setData(data as object);
  const rs: unknown = policy.evaluate(input, entrypoint);
  if (!Array.isArray(rs)) throw new Error(`unexpected result set from policy: ${JSON.stringify(rs)}`);
  if (rs.length === 0) return { defined: false, value: undefined };
  const first = rs[0] as { result?: unknown };
  if (!first || typeof first !== "object" || !("result" in first)) return { defined: false, value: undefined };
  return { defined: true, value: first.result };
}

function toBufferSource(wasm: Uint8Array): ArrayBuffer {
  // The SDK accepts BufferSource; a standalone ArrayBuffer copy avoids surprises with pooled Node Buffers.
  const copy = new Uint8Array(wasm.byteLength);
  copy.set(wasm);
  return copy.buffer;
}

/** The text of anything a policy evaluation throws: the SDK throws aborts as plain strings, not Errors. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === "string" ? e : String(e);
}
