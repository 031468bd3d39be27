/**
 * Test helper for the compiler's end-to-end tests: compiles Rego, loads the module through the UNMODIFIED
 * opa-wasm SDK with both loaders (async = opa_eval fast path; sync), and returns the result sets.
 */
import { loadPolicy, loadPolicySync } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index";

export interface EvalOutcome {
  /** `[{result}]` or `[]`, as the SDK returns it from loadPolicy (fast path). */
  fast: unknown;
  /** Same through loadPolicySync. */
  sync: unknown;
}

export async function compileAndEval(
  sources: Record<string, string> | string,
  entrypoint: string,
  input?: unknown,
  data?: unknown,
): Promise<EvalOutcome> {
  const modules = typeof sources === "string" ? { "test.rego": sources } : sources;
  const { wasm } = await compileRego(modules, { entrypoints: [entrypoint] });
  const fast = await loadPolicy(wasm);
  if (data !== undefined) fast.setData(data as object);
  const sync = loadPolicySync(wasm);
  if (data !== undefined) sync.setData(data as object);
  // The SDK throws aborts (conflicts, builtin errors) as bare strings; wrap them so tests can match messages.
  const run = (p: typeof fast): unknown => {
    try {
      return p.evaluate(input, entrypoint);
    } catch (e) {
      throw e instanceof Error ? e : new Error(String(e));
    }
  };
  return { fast: run(fast), sync: run(sync) };
}

/** The single result value (or undefined when the entrypoint is undefined); asserts both loaders agree. */
export async function evalRego(
  sources: Record<string, string> | string,
  entrypoint: string,
  input?: unknown,
  data?: unknown,
): Promise<unknown> {
  const out = await compileAndEval(sources, entrypoint, input, data);
  expect(out.sync).toEqual(out.fast);
  const rs = out.fast as Array<{ result: unknown }>;
  return rs.length === 0 ? undefined : rs[0].result;
}
