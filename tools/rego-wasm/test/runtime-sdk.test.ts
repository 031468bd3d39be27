// End-to-end check of the linking contract: a tiny "policy" is linked into runtime.wasm with binaryen the way the
// code generator does it (the `policy.*` imports are removed and functions with the same internal names are
// added), and the result is run by the unmodified @open-policy-agent/opa-wasm SDK on the opa_eval fast path and,
// with the minor version patched to 1, on the context path.
import * as fs from "fs";
import { loadPolicy, loadPolicySync } from "@open-policy-agent/opa-wasm";
import { buildRuntime, loadRuntime, runtimeWasm } from "./runtime-harness";

type Binaryen = typeof import("binaryen", { with: { "resolution-mode": "import" } }).default;

// ts-jest compiles to CommonJS, where `import()` would become require(); binaryen is ESM-only.
const importEsm = new Function("m", "return import(m)") as (m: string) => Promise<{ default: Binaryen }>;

/**
 * Links the policy `test/x := input.x` (entrypoint 0) into the runtime. Policy bytes ("x" and the entrypoints
 * JSON) are written by the generated functions themselves with i32.store8 into the static area at rt_data_base,
 * which keeps this test independent of data-segment plumbing.
 */
async function linkTestPolicy(minorVersion = 2): Promise<Uint8Array> {
  const b = (await importEsm("binaryen")).default;
  const m = b.readBinary(fs.readFileSync(runtimeWasm));
  try {
    const F = b.Features;
    m.setFeatures(F.MVP | F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt);
    const internal = new Map<string, string>();
    const exported = new Map<string, string>();
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const info = b.getFunctionInfo(m.getFunctionByIndex(i));
      if (info.module === "policy") internal.set(info.base ?? "", info.name);
    }
    for (let i = 0; i < m.getNumExports(); i++) {
      const e = b.getExportInfo(m.getExportByIndex(i));
      if (e.kind === b.ExternalFunction) exported.set(e.name, e.value);
    }
    // the runtime's exported constant, read from an instance of the unlinked runtime
    const db = (loadRuntime().instance.exports.rt_data_base as WebAssembly.Global).value as number;
    const storeBytes = (addr: number, text: string) =>
      [...Buffer.from(text)].map((c, i) => m.i32.store8(0, 0, m.i32.const(addr + i), m.i32.const(c)));
    const call = (name: string, args: number[]) => m.call(exported.get(name)!, args, b.i32);
    const ep = '{"test/x":0}';

    // (entrypoint, input, data) -> rt_get(input, "x")
    m.removeFunction(internal.get("eval_entrypoint")!);
    m.addFunction(
      internal.get("eval_entrypoint")!,
      b.createType([b.i32, b.i32, b.i32]),
      b.i32,
      [],
      m.block(null, [...storeBytes(db, "x"), call("rt_get", [m.local.get(1, b.i32), call("rt_string", [m.i32.const(db), m.i32.const(1)])])], b.i32),
    );
    m.removeFunction(internal.get("entrypoints")!);
    m.addFunction(
      internal.get("entrypoints")!,
      b.none,
      b.i32,
      [],
      m.block(null, [...storeBytes(db + 8, ep), call("opa_json_parse", [m.i32.const(db + 8), m.i32.const(ep.length)])], b.i32),
    );
    m.removeFunction(internal.get("static_end")!);
    m.addFunction(internal.get("static_end")!, b.none, b.i32, [], m.i32.const(db + 32));
    if (minorVersion !== 2) {
      m.removeExport("opa_wasm_abi_minor_version");
      m.addGlobal("minor_patched", b.i32, false, m.i32.const(minorVersion));
      m.addGlobalExport("minor_patched", "opa_wasm_abi_minor_version");
    }
    if (!m.validate()) throw new Error("linked module does not validate");
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

beforeAll(() => buildRuntime(), 120000);

describe("runtime.wasm linked and run by the unmodified SDK", () => {
  // linking is the slow part (binaryen); link each variant once
  let fast: Uint8Array;
  let ctx: Uint8Array;
  beforeAll(async () => {
    fast = await linkTestPolicy();
    ctx = await linkTestPolicy(1);
  }, 60000);

  test("fast path (ABI 1.2): evaluate, undefined, entrypoint names, setData", async () => {
    const policy = await loadPolicy(fast);
    expect(policy.entrypoints).toEqual({ "test/x": 0 });
    expect(policy.evaluate({ x: { y: [1, "two", 12345678901234567890123] } })).toEqual([
      { result: { y: [1, "two", 12345678901234567890123] } },
    ]);
    expect(policy.evaluate({ z: 1 })).toEqual([]);
    expect(policy.evaluate(undefined)).toEqual([]);
    expect(policy.evaluate({ x: "é😀" }, "test/x")).toEqual([{ result: "é😀" }]);
    policy.setData({ big: Array.from({ length: 1000 }, (_, i) => ({ i })) });
    expect(policy.evaluate({ x: false })).toEqual([{ result: false }]);
  });

  test("memory stays bounded over many evaluations with large input", async () => {
    const policy = await loadPolicy(fast);
    const input = { x: 1, pad: Array.from({ length: 20000 }, (_, i) => `item-${i}`) };
    policy.evaluate(input);
    const mem = (policy as unknown as { mem: WebAssembly.Memory }).mem;
    const size = mem.buffer.byteLength;
    for (let k = 0; k < 20; k++) expect(policy.evaluate(input)).toEqual([{ result: 1 }]);
    expect(mem.buffer.byteLength).toBe(size);
  });

  test("context path (ABI 1.1) through loadPolicySync", async () => {
    const policy = loadPolicySync(ctx);
    expect(policy.evaluate({ x: [true, null] })).toEqual([{ result: [true, null] }]);
    expect(policy.evaluate({})).toEqual([]);
  });

  test("small evaluations are fast", async () => {
    const policy = await loadPolicy(fast);
    const input = { x: { user: "alice", roles: ["admin", "dev"], n: 3 } };
    for (let i = 0; i < 500; i++) policy.evaluate(input);
    // the best of several batches: other processes share the CPU, and a slow batch says nothing about the code
    let perEval = Infinity;
    for (let batch = 0; batch < 8; batch++) {
      const n = 1000;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) policy.evaluate(input);
      perEval = Math.min(perEval, Number(process.hrtime.bigint() - t0) / n / 1000);
    }
    // the figure includes the SDK's JSON.stringify / TextEncoder / JSON.parse around the runtime's ~1 µs
    expect(perEval).toBeLessThan(50);
  });
});
