/**
 * Linking: loads the prebuilt runtime (build/runtime.wasm) into binaryen, replaces its `policy.*` imports with
 * generated functions, places the policy's static data (interned strings) at the runtime's `rt_data_base`, and
 * emits the final module. Everything here is independent of Rego; codegen.ts decides what goes in.
 */
import * as fs from "fs";
import * as path from "path";

/** The binaryen.js namespace (ESM-only package, so it is loaded lazily with a real dynamic import). */
export type Binaryen = typeof import("binaryen", { with: { "resolution-mode": "import" } }).default;
export type WasmModule = InstanceType<Binaryen["Module"]>;

let binaryenPromise: Promise<Binaryen> | null = null;

export function loadBinaryen(): Promise<Binaryen> {
  if (!binaryenPromise) {
    binaryenPromise = import("binaryen").then((m) => m.default);
  }
  return binaryenPromise;
}

/** Candidate locations of runtime.wasm: beside the sources (ts-jest) and beside dist/ output (node). */
export function runtimeWasmPath(): string {
  if (process.env.REGO_WASM_RUNTIME) return process.env.REGO_WASM_RUNTIME;
  const candidates = [
    path.resolve(__dirname, "../build/runtime.wasm"),
    path.resolve(__dirname, "../../../../tools/rego-wasm/build/runtime.wasm"),
    path.resolve(process.cwd(), "tools/rego-wasm/build/runtime.wasm"),
  ];
  for (const c of candidates) {
    if (fs.existsSync(c)) return c;
  }
  throw new Error(
    `runtime.wasm not found (looked in ${candidates.join(", ")}); build it with \`npm run build:runtime\``,
  );
}

let runtimeCache: { key: string; bytes: Uint8Array } | null = null;

function readRuntime(): Uint8Array {
  // Cached (compiles happen many times in tests and the conformance run), but keyed by path, size and mtime so
  // a runtime rebuilt while a process runs is picked up.
  const file = runtimeWasmPath();
  const st = fs.statSync(file);
  const key = `${file}:${st.size}:${st.mtimeMs}`;
  if (!runtimeCache || runtimeCache.key !== key) runtimeCache = { key, bytes: new Uint8Array(fs.readFileSync(file)) };
  return runtimeCache.bytes;
}

export interface RuntimeFunction {
  /** binaryen's internal name (what `call` needs). */
  internal: string;
  params: number[];
  result: number;
}

/** A runtime loaded into binaryen, ready for generated functions to be added. */
export class LinkedModule {
  /** Exported runtime functions by export name (`rt_get`, `rt_bi_count`, ...). */
  readonly exports = new Map<string, RuntimeFunction>();
  /** Imported functions by "module.base" (`policy.eval_entrypoint`). */
  readonly imports = new Map<string, RuntimeFunction>();
  readonly dataBase: number;
  private readonly staticBytes: number[] = [];
  private readonly interned = new Map<string, { addr: number; len: number }>();

  private constructor(
    readonly binaryen: Binaryen,
    readonly module: WasmModule,
  ) {
    const b = binaryen;
    const n = module.getNumFunctions();
    const byInternal = new Map<string, RuntimeFunction>();
    for (let i = 0; i < n; i++) {
      const info = b.getFunctionInfo(module.getFunctionByIndex(i));
      const fn: RuntimeFunction = { internal: info.name, params: b.expandType(info.params), result: info.results };
      byInternal.set(info.name, fn);
      if (info.module) this.imports.set(`${info.module}.${info.base}`, fn);
    }
    let dataBase = -1;
    for (let i = 0; i < module.getNumExports(); i++) {
      const e = b.getExportInfo(module.getExportByIndex(i));
      if (e.kind === b.ExternalFunction) {
        const fn = byInternal.get(e.value);
        if (fn) this.exports.set(e.name, fn);
      } else if (e.kind === b.ExternalGlobal && e.name === "rt_data_base") {
        const g = b.getGlobalInfo(module.getGlobal(e.value));
        const init = b.getExpressionInfo(g.init) as { value?: number };
        if (typeof init.value === "number") dataBase = init.value;
      }
    }
    if (dataBase < 0) throw new Error("runtime.wasm does not export the constant global rt_data_base");
    this.dataBase = (dataBase + 7) & ~7;
  }

  static async load(): Promise<LinkedModule> {
    const b = await loadBinaryen();
    const module = b.readBinary(readRuntime());
    // The features runtime.wasm is built with (CONTRACT.md, "Build facts for the linker").
    module.setFeatures(b.Features.MVP | b.Features.BulkMemory | b.Features.BulkMemoryOpt | b.Features.MutableGlobals
      | b.Features.SignExt | b.Features.NontrappingFPToInt);
    return new LinkedModule(b, module);
  }

  runtime(name: string): RuntimeFunction | undefined {
    return this.exports.get(name);
  }

  /** Interns UTF-8 bytes in the static segment; equal strings share storage. */
  intern(s: string): { addr: number; len: number } {
    const hit = this.interned.get(s);
    if (hit) return hit;
    const bytes = Buffer.from(s, "utf8");
    const addr = this.dataBase + this.staticBytes.length;
    for (const byte of bytes) this.staticBytes.push(byte);
    const entry = { addr, len: bytes.length };
    this.interned.set(s, entry);
    return entry;
  }

  get staticEnd(): number {
    return this.dataBase + this.staticBytes.length;
  }

  /**
   * Replaces an imported function (`policy.eval_entrypoint`) by a generated body with the same internal name,
   * so the runtime's calls to it now reach the policy.
   */
  replaceImport(key: string, body: number, vars: number[] = []): void {
    const fn = this.imports.get(key);
    if (!fn) return; // the runtime does not use it: nothing to replace
    const b = this.binaryen;
    this.module.removeFunction(fn.internal);
    this.module.addFunction(fn.internal, b.createType(fn.params), fn.result, vars, body);
  }

  /** Adds the static segment (binaryen cannot append a segment, so all segments are set again) and emits. */
  emit(): Uint8Array {
    const m = this.module;
    const mem = m.getMemoryInfo();
    const segments: Array<{ offset: number; data: Uint8Array; passive: boolean }> = [];
    // getNumDataSegments/getDataSegmentInfo exist in binaryen.js 132 but are missing from its typings.
    const dm = m as unknown as {
      getNumDataSegments(): number;
      getDataSegmentInfo(ref: number): { offset: number; data: ArrayBuffer | Uint8Array; passive: boolean };
    };
    const count = dm.getNumDataSegments();
    for (let i = 0; i < count; i++) {
      const info = dm.getDataSegmentInfo(m.getDataSegmentByIndex(i));
      segments.push({ offset: m.i32.const(info.offset), data: new Uint8Array(info.data), passive: info.passive });
    }
    if (this.staticBytes.length > 0) {
      segments.push({ offset: m.i32.const(this.dataBase), data: new Uint8Array(this.staticBytes), passive: false });
    }
    // readBinary names an unnamed imported memory `mimport$0`; loads and stores refer to that internal name.
    const memName = mem.module ? "mimport$0" : "0";
    // Segments must fit the memory the SDK creates (5 pages unless the caller asks for more); the import's
    // minimum grows with the static data but must stay within those 5 pages for the SDK's default.
    const pages = Math.max(mem.initial, Math.ceil(this.staticEnd / 65536));
    if (pages > 5) throw new Error(`policy static data ends at ${this.staticEnd} bytes, beyond the 5 pages the SDK provides`);
    m.setMemory(pages, -1, null, segments, false, false, memName);
    m.addMemoryImport(memName, mem.module ?? "env", mem.base ?? "memory");
    if (!m.validate()) throw new Error("internal error: generated module does not validate");
    const out = m.emitBinary();
    m.dispose();
    return out;
  }
}
