import { createHash } from "node:crypto";
import { promises as fs, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type * as RegoWasm from "../tools/rego-wasm/src/index";
import type * as OpaEngine from "../tools/rego-wasm/src/opa-engine";
import { PROJECT_ROOT } from "../app/project-root";

/**
 * Compiles a folder of Rego policies to WebAssembly once and keeps the module in `policies/build/<hash>.wasm`
 * (gitignored). The key covers the Rego sources, the entrypoint and the compiler's fingerprint, so editing a
 * .rego file or rebuilding the compiler yields a new file, and an unchanged tree starts from the cache without
 * loading the compiler (binaryen alone costs far more than the 200 ms start-up budget).
 */

export type Engine = "auto" | "rego-wasm" | "opa";

export interface PolicySet {
  /** Folder of `*.rego` files; `*_test.rego` files are left out of the build. */
  dir: string;
  /** Wasm entrypoint, e.g. `backup_audit/config/violations`. */
  entrypoint: string;
}

export interface CompiledPolicy {
  wasm: Uint8Array;
  hash: string;
  /** Where the module came from: the cache, or which engine built it now. */
  source: "cache" | "rego-wasm" | "opa";
  file: string;
}

export interface CompileCacheOptions {
  /** Cache folder; default `<project>/policies/build`. */
  cacheDir?: string;
  /** `auto` builds with `opa build -t wasm` where `opa` is on PATH, else with rego-wasm. */
  engine?: Engine;
  /** Ignore (and overwrite) a cached module. */
  force?: boolean;
}


/** The two policy sets of the gate. */
export function gatePolicySets(root: string = PROJECT_ROOT): { config: PolicySet; terraform: PolicySet } {
  return {
    config: { dir: path.join(root, "policies", "config"), entrypoint: "backup_audit/config/violations" },
    terraform: { dir: path.join(root, "policies", "terraform"), entrypoint: "backup_audit/terraform/violations" },
  };
}

/** The policy modules of a folder (no tests), keyed by path relative to the project, in name order. */
export function readRegoSources(dir: string, root: string = PROJECT_ROOT): Record<string, string> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".rego") && !f.endsWith("_test.rego"))
    .sort();
  if (files.length === 0) throw new Error(`no .rego policies in ${dir}`);
  const out: Record<string, string> = {};
  for (const f of files) {
    const full = path.join(dir, f);
    out[path.relative(root, full).split(path.sep).join("/")] = readFileSync(full, "utf8");
  }
  return out;
}

/**
 * Identifies the compiler build: its runtime hash (written by build-runtime) and the content of its code files,
 * so a changed compiler invalidates modules it may now compile differently, while a rebuild that changes
 * nothing (new mtimes, same code) keeps the cache. Hashing ~300 KB costs about a millisecond.
 */
export function compilerFingerprint(root: string = PROJECT_ROOT): string {
  const h = createHash("sha256");
  try {
    h.update(readFileSync(path.join(root, "tools", "rego-wasm", "build", "runtime.hash"), "utf8").trim());
  } catch {
    h.update("no-runtime-hash");
  }
  const srcDir = path.join(__dirname, "..", "tools", "rego-wasm", "src");
  try {
    for (const f of readdirSync(srcDir).sort()) {
      if (!/\.(ts|js)$/.test(f) || f.endsWith(".d.ts")) continue;
      h.update(`\0${f}\0`);
      h.update(readFileSync(path.join(srcDir, f)));
    }
  } catch {
    h.update("no-compiler-sources");
  }
  return h.digest("hex");
}

export function policyHash(sources: Record<string, string>, entrypoint: string, fingerprint: string): string {
  const h = createHash("sha256");
  h.update(`entrypoint\0${entrypoint}\0compiler\0${fingerprint}\0`);
  for (const [file, text] of Object.entries(sources)) h.update(`${file}\0${text.length}\0${text}\0`);
  return h.digest("hex").slice(0, 32);
}

/*
 * The compiler is loaded only on a cache miss. `require` rather than `import()`: these are CommonJS modules of
 * this project, and a lazy require resolves the same way under node (dist/) and ts-jest (sources).
 */
function regoWasm(): typeof RegoWasm {
  return require("../tools/rego-wasm/src/index") as typeof RegoWasm;
}

function opaEngine(): typeof OpaEngine {
  return require("../tools/rego-wasm/src/opa-engine") as typeof OpaEngine;
}

/** Builds a module with the engine asked for. */
export async function buildPolicyWasm(
  set: PolicySet,
  sources: Record<string, string>,
  engine: Engine,
  root: string = PROJECT_ROOT,
): Promise<{ wasm: Uint8Array; engine: "rego-wasm" | "opa" }> {
  const useOpa = engine === "opa" || (engine === "auto" && opaEngine().opaAvailable());
  if (useOpa) {
    const files = Object.keys(sources).map((rel) => path.join(root, rel));
    return { wasm: opaEngine().buildWithOpa([set.entrypoint], files), engine: "opa" };
  }
  const result = await regoWasm().compileRego(sources, { entrypoints: [set.entrypoint] });
  return { wasm: result.wasm, engine: "rego-wasm" };
}

/** Writes via a temp file and rename, so a concurrent reader never sees half a module. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.writeFile(tmp, bytes);
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** The compiled module of a policy set, from the cache when the sources are unchanged. */
export async function compiledPolicy(set: PolicySet, options: CompileCacheOptions = {}): Promise<CompiledPolicy> {
  const root = PROJECT_ROOT;
  const sources = readRegoSources(set.dir, root);
  const hash = policyHash(sources, set.entrypoint, compilerFingerprint(root));
  const cacheDir = options.cacheDir ?? path.join(root, "policies", "build");
  const file = path.join(cacheDir, `${hash}.wasm`);
  if (!options.force) {
    try {
      return { wasm: new Uint8Array(await fs.readFile(file)), hash, source: "cache", file };
    } catch {
      // Not built yet: fall through.
    }
  }
  const built = await buildPolicyWasm(set, sources, options.engine ?? "auto", root);
  try {
    await writeAtomically(file, built.wasm);
  } catch {
    // A read-only install still works: it just compiles on every start.
  }
  return { wasm: built.wasm, hash, source: built.engine, file };
}
