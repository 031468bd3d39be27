/**
 * Public API of the Rego → WebAssembly compiler: parse → analyze (front end) → plan + generate (codegen.ts)
 * → link into the prebuilt runtime (link.ts). The output implements OPA's Wasm ABI, so the unmodified
 * `@open-policy-agent/opa-wasm` SDK loads it.
 */
import { RegoCompileError } from "./ast";
import type { Module } from "./ast";
import { parseModule } from "./parser";
import { analyze } from "./analyze";
import { entrypointPath } from "./program";
import { CodeGen } from "./codegen";
import { LinkedModule } from "./link";

export interface CompileOptions {
  /** "pkg/rule" with "/" separators, e.g. "backup_audit/config/violations". */
  entrypoints: string[];
}

export interface CompileResult {
  wasm: Uint8Array;
  /** Entrypoint name → id, as the module's `entrypoints()` export reports them. */
  entrypoints: Record<string, number>;
}

/**
 * binaryen's optimizer shrinks the generated code but costs time per compile; it is off unless
 * REGO_WASM_OPTIMIZE=1 (the unoptimised code already evaluates in microseconds, see docs/compiler.md).
 */
function optimizeRequested(): boolean {
  return process.env.REGO_WASM_OPTIMIZE === "1";
}

export async function compileRego(modules: Record<string, string>, options: CompileOptions): Promise<CompileResult> {
  if (options.entrypoints.length === 0) {
    throw new RegoCompileError({ file: "<options>", line: 1, col: 1 }, "at least one entrypoint is required");
  }
  const parsed: Module[] = Object.entries(modules).map(([file, source]) => parseModule(file, source));
  const program = analyze(parsed);
  const link = await LinkedModule.load();
  try {
    const gen = new CodeGen(link, program);
    const { entrypoints } = gen.generate(options.entrypoints.map(entrypointPath));
    return { wasm: link.emit(optimizeRequested()), entrypoints };
  } catch (e) {
    link.module.dispose();
    throw e;
  }
}

export { RegoCompileError } from "./ast";
