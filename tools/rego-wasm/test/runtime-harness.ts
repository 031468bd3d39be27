/**
 * Test harness for runtime.wasm on its own: builds it with the project's build script (a no-op when the sources
 * are unchanged), instantiates it with JS stand-ins for the `policy.*` imports, and offers helpers that move
 * values in and out as JSON text.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const runtimeDir = path.resolve(__dirname, "..");
export const runtimeWasm = path.join(runtimeDir, "build", "runtime.wasm");

export function buildRuntime(): void {
  execFileSync(process.execPath, [path.join(runtimeDir, "scripts", "build-runtime.js")], { stdio: "pipe" });
}

/** Marks a JS array as a Rego set when passed as a builtin argument. */
export class RegoSet {
  constructor(readonly items: unknown[]) {}
}
export const set = (...items: unknown[]): RegoSet => new RegoSet(items);

/** Marks an exact number literal (big integers, decimals as written) anywhere inside an argument. */
export class RegoNum {
  constructor(readonly text: string) {}
}
export const num = (text: string): RegoNum => new RegoNum(text);

function needsBuilder(js: unknown): boolean {
  if (js instanceof RegoSet || js instanceof RegoNum || js instanceof Value) return true;
  if (Array.isArray(js)) return js.some(needsBuilder);
  if (js && typeof js === "object") return Object.values(js).some(needsBuilder);
  return false;
}

type Fn = (...args: number[]) => number;

export interface PolicyStubs {
  evalEntrypoint?: (rt: Runtime, entrypoint: number, input: number, data: number) => number;
  entrypoints?: (rt: Runtime) => number;
}

export class Runtime {
  readonly memory = new WebAssembly.Memory({ initial: 5 });
  readonly printed: string[] = [];
  readonly x: Record<string, Fn>;
  readonly instance: WebAssembly.Instance;

  constructor(module: WebAssembly.Module, stubs: PolicyStubs = {}) {
    const env = {
      memory: this.memory,
      opa_abort: (addr: number) => {
        throw new Error(this.cString(addr));
      },
      opa_println: (addr: number) => {
        this.printed.push(this.cString(addr));
      },
    };
    const policy = {
      static_end: () => (this.instance.exports.rt_data_base as WebAssembly.Global).value as number,
      eval_entrypoint: (e: number, i: number, d: number) => (stubs.evalEntrypoint ? stubs.evalEntrypoint(this, e, i, d) : i),
      entrypoints: () => (stubs.entrypoints ? stubs.entrypoints(this) : this.parse('{"a/b":0}')),
    };
    this.instance = new WebAssembly.Instance(module, { env, policy });
    this.x = this.instance.exports as unknown as Record<string, Fn>;
  }

  cString(addr: number): string {
    const b = new Uint8Array(this.memory.buffer);
    let e = addr;
    while (b[e] !== 0) e++;
    return Buffer.from(b.subarray(addr, e)).toString("utf8");
  }

  /** Copies bytes into the runtime heap; returns [addr, len]. */
  bytes(text: string): [number, number] {
    const buf = Buffer.from(text, "utf8");
    const addr = this.x.opa_malloc(buf.length);
    new Uint8Array(this.memory.buffer).set(buf, addr);
    return [addr, buf.length];
  }

  /** JSON text → value address (0 when invalid). */
  parse(json: string): number {
    const [a, n] = this.bytes(json);
    return this.x.opa_json_parse(a, n);
  }

  /** value → compact JSON text (sets as arrays); undefined for 0. */
  dump(v: number): string | undefined {
    return v === 0 ? undefined : this.cString(this.x.opa_json_dump(v));
  }

  /** JS value → runtime value (RegoSet → set; everything else through JSON). */
  value(js: unknown): number {
    if (js instanceof Value) return js.addr;
    if (js instanceof RegoNum) return this.num(js.text);
    if (js instanceof RegoSet) {
      const s = this.x.rt_set_new();
      for (const item of js.items) this.x.rt_set_add(s, this.value(item));
      return s;
    }
    if (needsBuilder(js)) {
      if (Array.isArray(js)) {
        const a = this.x.rt_array_new(js.length);
        for (const item of js) this.x.rt_array_push(a, this.value(item));
        return a;
      }
      const o = this.x.rt_object_new();
      for (const [k, item] of Object.entries(js as Record<string, unknown>)) {
        this.x.rt_object_insert(o, this.value(k), this.value(item));
      }
      return o;
    }
    const v = this.parse(JSON.stringify(js));
    if (v === 0) throw new Error(`cannot convert ${String(js)}`);
    return v;
  }

  /** A number value from its literal text (exact: big integers, decimals as written). */
  num(text: string): number {
    const [a, n] = this.bytes(text);
    return this.x.rt_number_parse(a, n);
  }

  /** Calls an export with JS arguments (numbers given as strings are NOT converted: use num()). */
  call(name: string, ...args: unknown[]): number {
    const f = this.x[name];
    if (!f) throw new Error(`runtime does not export ${name}`);
    return f(...args.map((a) => this.value(a)));
  }

  /** Calls a builtin and returns its result as JSON text, or undefined. */
  bi(name: string, ...args: unknown[]): string | undefined {
    return this.dump(this.call(name, ...args));
  }
}

/** A raw value address passed through `call` untouched. */
export class Value {
  constructor(readonly addr: number) {}
}

let compiled: WebAssembly.Module | null = null;

export function loadRuntime(stubs: PolicyStubs = {}): Runtime {
  if (!compiled) compiled = new WebAssembly.Module(fs.readFileSync(runtimeWasm));
  return new Runtime(compiled, stubs);
}
