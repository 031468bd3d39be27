// runtime.wasm on its own: JSON parse/dump, value order and equality, builders, iteration, and the OPA ABI
// exports driven the way the SDK drives them.
import { execFileSync } from "child_process";
import * as path from "path";
import { buildRuntime, loadRuntime, runtimeDir, Runtime, Value, set } from "./runtime-harness";

beforeAll(() => buildRuntime(), 120000);

test("build script: one line, and a no-op when the sources are unchanged", () => {
  const out = execFileSync(process.execPath, [path.join(runtimeDir, "scripts", "build-runtime.js")], { encoding: "utf8" });
  expect(out.trim().split("\n")).toHaveLength(1);
  expect(out).toMatch(/^runtime\.wasm up to date \([0-9a-f]{16}, \d+ bytes\)\n$/);
});

describe("JSON parse → dump", () => {
  let rt: Runtime;
  beforeAll(() => {
    rt = loadRuntime();
  });

  test.each([
    ["null", "null"],
    ["true", "true"],
    ["false", "false"],
    ["0", "0"],
    ["-0", "0"],
    ["42", "42"],
    ["-9223372036854775808", "-9223372036854775808"],
    ["9223372036854775807", "9223372036854775807"],
    ["9223372036854775808", "9223372036854775808"],
    ["12345678901234567890123", "12345678901234567890123"],
    ["-12345678901234567890123.000001", "-12345678901234567890123.000001"],
    ["1.0", "1.0"],
    ["2.50", "2.50"],
    ["1e3", "1e3"],
    ["-0.5E-3", "-0.5E-3"],
    ['""', '""'],
    ['"plain"', '"plain"'],
    ['"\\u00e9t\\u00E9"', '"été"'],
    ['"\\ud83d\\ude00"', '"😀"'],
    ['"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"', '"a\\"b\\\\c/d\\b\\f\\n\\r\\t"'],
    ['"\\u0001"', '"\\u0001"'],
    ['"日本語"', '"日本語"'],
    ["[]", "[]"],
    ["{}", "{}"],
    [' [ 1 , "a" , [ ] , { } ] ', '[1,"a",[],{}]'],
    ['{"b":1,"a":2,"c":{"z":[true,null],"y":0}}', '{"a":2,"b":1,"c":{"y":0,"z":[true,null]}}'],
    ['{"a":1,"a":2}', '{"a":2}'],
    ['{"b":1,"a":2,"d":3,"c":4,"f":5,"e":6,"h":7,"g":8,"j":9,"i":10,"l":11,"k":12,"n":13,"m":14}',
      '{"a":2,"b":1,"c":4,"d":3,"e":6,"f":5,"g":8,"h":7,"i":10,"j":9,"k":12,"l":11,"m":14,"n":13}'],
  ])("%s", (input, want) => {
    expect(rt.dump(rt.parse(input))).toBe(want);
  });

  test.each(["", "tru", "[1,]", "{\"a\"}", "{\"a\":1,}", "01", "1.", "-", "\"abc", "[1 2]", "nul", "1 2", "\"\u0001\""])(
    "rejects %j",
    (input) => {
      expect(rt.parse(input)).toBe(0);
    },
  );

  test("large documents round-trip and keep object keys sorted", () => {
    const doc: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) doc[`k${(i * 7919) % 2000}`] = { a: [i, i * 0.5, `${i}`], i, s: `v${i}` };
    const sorted = Object.fromEntries(Object.entries(doc).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const out = rt.dump(rt.parse(JSON.stringify(doc)))!;
    // compared as a boolean: a failure message with two 100 KB strings helps nobody
    expect(out.length).toBe(JSON.stringify(sorted).length);
    expect(out === JSON.stringify(sorted)).toBe(true);
  });

  test("deep nesting up to 4096 levels; deeper documents are rejected, not a stack overflow", () => {
    const deep = (d: number) => "[".repeat(d) + "1" + "]".repeat(d);
    expect(rt.dump(rt.parse(deep(4000)))).toBe(deep(4000));
    expect(rt.parse(deep(20000))).toBe(0);
  });
});

describe("order and equality", () => {
  let rt: Runtime;
  beforeAll(() => {
    rt = loadRuntime();
  });
  const cmp = (a: unknown, b: unknown) => rt.call("rt_compare", a, b);

  // ascending in Rego's order: every earlier value is smaller than every later one
  const ladder: unknown[] = [
    null, false, true, -1e30, -5, -4.5, 0, 0.5, 1, 2, 9223372036854775807, 1e19, "", "A", "a", "ab", "b", "é",
    [], [1], [1, 2], [2], {}, { a: 1 }, { a: 2 }, { b: 0 }, set(), set(1), set(1, 2), set(2),
  ];
  test("total order ladder", () => {
    for (let i = 0; i < ladder.length; i++) {
      for (let j = 0; j < ladder.length; j++) {
        expect([i, j, cmp(ladder[i], ladder[j])]).toEqual([i, j, Math.sign(i - j)]);
      }
    }
  });

  test("numbers compare exactly across representations", () => {
    const n = (s: string) => new Value(rt.num(s));
    expect(cmp(n("1"), n("1.0"))).toBe(0);
    expect(cmp(n("100"), n("1e2"))).toBe(0);
    expect(cmp(n("0.1"), n("0.10000000000000000001"))).toBe(-1);
    expect(cmp(n("12345678901234567890123"), n("12345678901234567890124"))).toBe(-1);
    expect(cmp(n("-12345678901234567890123"), n("-12345678901234567890124"))).toBe(1);
    expect(cmp(n("9223372036854775807"), n("9223372036854775808"))).toBe(-1);
    expect(cmp(n("-0.0"), n("0"))).toBe(0);
    expect(cmp(n("1.5"), n("2"))).toBe(-1);
    expect(rt.call("rt_equal", n("2"), n("2.0"))).toBe(1);
    expect(rt.call("rt_equal", n("2"), n("2.000000000000000000001"))).toBe(0);
  });

  test("equality of composites ignores insertion order", () => {
    expect(rt.call("rt_equal", set(3, 1, 2), set(1, 2, 3))).toBe(1);
    expect(rt.call("rt_equal", { a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(1);
    expect(rt.call("rt_equal", [1, 2], [2, 1])).toBe(0);
    expect(rt.call("rt_equal", "a", "a")).toBe(1);
    expect(rt.call("rt_equal", "a", "b")).toBe(0);
  });
});

describe("builders, access, iteration", () => {
  let rt: Runtime;
  beforeAll(() => {
    rt = loadRuntime();
  });

  test("object insert keeps keys sorted and detects conflicts", () => {
    const o = rt.x.rt_object_new();
    for (const k of ["m", "c", "x", "a", "c"]) {
      expect(rt.call("rt_object_insert", new Value(o), k, 1)).toBe(1);
    }
    expect(rt.call("rt_object_insert", new Value(o), "a", 2)).toBe(0);
    expect(rt.dump(o)).toBe('{"a":1,"c":1,"m":1,"x":1}');
    rt.call("rt_object_put", new Value(o), "a", 3);
    expect(rt.dump(o)).toBe('{"a":3,"c":1,"m":1,"x":1}');
  });

  test("sets are sorted and unique", () => {
    const s = rt.x.rt_set_new();
    for (const v of [3, "b", 1, [1], "a", 3, null, 1.0]) rt.call("rt_set_add", new Value(s), v);
    expect(rt.dump(s)).toBe('[null,1,3,"a","b",[1]]');
    expect(rt.x.rt_type(s)).toBe(6);
  });

  test("arrays grow past their capacity", () => {
    const a = rt.x.rt_array_new(1);
    for (let i = 0; i < 100; i++) rt.x.rt_array_push(a, rt.x.rt_number_i32(i));
    expect(JSON.parse(rt.dump(a)!)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  test("rt_get on arrays, objects, sets and scalars", () => {
    const doc = rt.value({ a: [10, 20], b: { c: "d" } });
    const get = (c: number, k: unknown) => rt.dump(rt.call("rt_get", new Value(c), k));
    expect(get(doc, "b")).toBe('{"c":"d"}');
    expect(get(doc, "z")).toBeUndefined();
    const arr = rt.call("rt_get", new Value(doc), "a");
    expect(get(arr, 1)).toBe("20");
    expect(rt.dump(rt.call("rt_get", new Value(arr), new Value(rt.num("1.0"))))).toBe("20");
    expect(get(arr, 2)).toBeUndefined();
    expect(get(arr, -1)).toBeUndefined();
    expect(get(arr, 0.5)).toBeUndefined();
    expect(get(arr, "0")).toBeUndefined();
    expect(rt.dump(rt.call("rt_get", set("x", "y"), "y"))).toBe('"y"');
    expect(rt.call("rt_get", set("x"), "z")).toBe(0);
    expect(rt.call("rt_get", "str", 0)).toBe(0);
  });

  test("rt_iter_next and index iteration visit keys in order", () => {
    const collect = (c: number) => {
      const keys: string[] = [];
      for (let k = rt.x.rt_iter_next(c, 0); k !== 0; k = rt.x.rt_iter_next(c, k)) keys.push(rt.dump(k)!);
      return keys;
    };
    expect(collect(rt.value(["a", "b", "c"]))).toEqual(["0", "1", "2"]);
    expect(collect(rt.value({ z: 1, a: 2, m: 3 }))).toEqual(['"a"', '"m"', '"z"']);
    expect(collect(rt.call("rt_set_new"))).toEqual([]);
    expect(collect(rt.value(set(2, 1)))).toEqual(["1", "2"]);
    expect(rt.x.rt_iter_next(rt.value(1), 0)).toBe(0);
    const o = rt.value({ b: 2, a: 1 });
    const pairs: string[] = [];
    for (let i = rt.x.rt_iter_pos(o, -1); i >= 0; i = rt.x.rt_iter_pos(o, i)) {
      pairs.push(`${rt.dump(rt.x.rt_key_at(o, i))}=${rt.dump(rt.x.rt_value_at(o, i))}`);
    }
    expect(pairs).toEqual(['"a"=1', '"b"=2']);
  });

  test("rt_length, rt_type, rt_is_false", () => {
    expect(rt.call("rt_length", "héllo😀")).toBe(6);
    expect(rt.call("rt_length", [1, 2])).toBe(2);
    expect(rt.call("rt_length", { a: 1 })).toBe(1);
    expect(rt.call("rt_length", 5)).toBe(-1);
    expect([null, true, 1, "s", [], {}].map((v) => rt.call("rt_type", v))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rt.x.rt_type(0)).toBe(-1);
    expect(rt.call("rt_is_false", false)).toBe(1);
    expect(rt.call("rt_is_false", 0)).toBe(0);
    expect(rt.call("rt_is_truthy", 0)).toBe(1);
    expect(rt.x.rt_is_truthy(0)).toBe(0);
  });

  test("rt_put_path copies and patches", () => {
    const doc = rt.value({ a: { b: 1, c: 2 }, d: 3 });
    const patched = rt.call("rt_put_path", new Value(doc), ["a", "b"], { x: true });
    expect(rt.dump(patched)).toBe('{"a":{"b":{"x":true},"c":2},"d":3}');
    expect(rt.dump(doc)).toBe('{"a":{"b":1,"c":2},"d":3}');
    expect(rt.dump(rt.call("rt_put_path", new Value(doc), ["d", "e"], 1))).toBe('{"a":{"b":1,"c":2},"d":{"e":1}}');
    expect(rt.dump(rt.call("rt_put_path", new Value(doc), [], 7))).toBe("7");
  });

  test("rt_copy_shallow gives an independent builder", () => {
    const s = rt.value(set(1));
    const c = rt.x.rt_copy_shallow(s);
    rt.x.rt_set_add(c, rt.x.rt_number_i32(2));
    expect(rt.dump(s)).toBe("[1]");
    expect(rt.dump(c)).toBe("[1,2]");
  });

  test("strings: copying and static constructors", () => {
    const [a, n] = rt.bytes("héllo");
    const copy = rt.x.rt_string(a, n);
    const ref = rt.x.rt_string_static(a, n);
    new Uint8Array(rt.memory.buffer)[a] = "j".charCodeAt(0);
    expect(rt.dump(copy)).toBe('"héllo"');
    expect(rt.dump(ref)).toBe('"jéllo"');
  });
});

describe("errors", () => {
  const rt = () => loadRuntime();
  test("conflict aborts carry OPA's messages", () => {
    expect(() => rt().x.rt_abort_conflict()).toThrow("eval_conflict_error: complete rules must not produce multiple outputs");
    expect(() => rt().x.rt_abort_object_conflict()).toThrow("eval_conflict_error: object keys must be unique");
    expect(() => rt().x.rt_abort_function_conflict()).toThrow(
      "eval_conflict_error: functions must not produce multiple outputs for same inputs",
    );
  });
  test("rt_abort_builtin", () => {
    const r = rt();
    const [na, nn] = r.bytes("div");
    const [ma, mn] = r.bytes("divide by zero");
    expect(() => r.x.rt_abort_builtin(na, nn, ma, mn)).toThrow("eval_builtin_error: div: divide by zero");
  });
});

describe("OPA ABI", () => {
  test("globals, builtins(), entrypoints()", () => {
    const rt = loadRuntime({ entrypoints: (r) => r.parse('{"x/allow":0,"x/deny":1}') });
    const g = (n: string) => (rt.instance.exports[n] as WebAssembly.Global).value;
    expect(g("opa_wasm_abi_version")).toBe(1);
    expect(g("opa_wasm_abi_minor_version")).toBe(2);
    expect(rt.dump(rt.x.builtins())).toBe("{}");
    expect(rt.dump(rt.x.entrypoints())).toBe('{"x/allow":0,"x/deny":1}');
  });

  test("module shape: imported memory ≤ 5 pages, no maximum, no start function", () => {
    const mod = new WebAssembly.Module(require("fs").readFileSync(require("./runtime-harness").runtimeWasm));
    const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}:${i.kind}`);
    expect(imports).toContain("env.memory:memory");
    expect(imports.filter((i) => i.startsWith("env.")).sort()).toEqual(
      ["env.memory:memory", "env.opa_abort:function", "env.opa_println:function"].sort(),
    );
    expect(WebAssembly.Module.exports(mod).some((e) => e.kind === "memory")).toBe(false);
    // a memory with 5 initial pages and no maximum satisfies the import (the SDK's default)
    expect(() => loadRuntime()).not.toThrow();
  });

  /** Drives opa_eval exactly like the SDK's fast path. */
  function fastEval(rt: Runtime, dataJson: string, input: unknown, entrypoint = 0): unknown {
    const data = rt.parse(dataJson);
    const dataHeap = rt.x.opa_heap_ptr_get();
    let inputAddr = 0;
    let inputLen = 0;
    if (input) {
      const buf = Buffer.from(JSON.stringify(input));
      inputAddr = dataHeap;
      inputLen = buf.length;
      const need = inputAddr + inputLen - rt.memory.buffer.byteLength;
      if (need > 0) rt.memory.grow(Math.ceil(need / 65536));
      new Uint8Array(rt.memory.buffer).set(buf, inputAddr);
    }
    const ret = rt.x.opa_eval(0, entrypoint, data, inputAddr, inputLen, dataHeap + inputLen, 0);
    return JSON.parse(rt.cString(ret));
  }

  test("opa_eval returns [{result}] with the stub entrypoint echoing its input", () => {
    const rt = loadRuntime();
    expect(fastEval(rt, "{}", { a: [1, "x"], b: 12345678901234567890123 })).toEqual([
      { result: { a: [1, "x"], b: 12345678901234567890123 } },
    ]);
  });

  test("opa_eval: undefined input (falsy values arrive as length 0) gives []", () => {
    const rt = loadRuntime();
    expect(fastEval(rt, "{}", undefined)).toEqual([]);
    expect(fastEval(rt, "{}", 0)).toEqual([]);
  });

  test("opa_eval passes data and the entrypoint id", () => {
    const rt = loadRuntime({
      evalEntrypoint: (r, e, _i, d) => r.call("rt_get", new Value(d), e === 1 ? "second" : "first"),
    });
    expect(fastEval(rt, '{"first":1,"second":[2]}', { x: 1 }, 1)).toEqual([{ result: [2] }]);
    expect(fastEval(rt, '{"first":1,"second":[2]}', { x: 1 }, 0)).toEqual([{ result: 1 }]);
  });

  test("opa_eval reuses the heap: repeated evaluations do not grow memory", () => {
    const rt = loadRuntime();
    const data = rt.parse('{"d":1}');
    const base = rt.x.opa_heap_ptr_get();
    const input = Buffer.from(JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ i, name: `n${i}` })) }));
    new Uint8Array(rt.memory.buffer).set(input, base);
    const pages = () => rt.memory.buffer.byteLength;
    rt.x.opa_eval(0, 0, data, base, input.length, base + input.length, 0);
    const after1 = pages();
    for (let k = 0; k < 200; k++) rt.x.opa_eval(0, 0, data, base, input.length, base + input.length, 0);
    expect(pages()).toBe(after1);
  });

  test("opa_eval aborts on invalid input JSON", () => {
    const rt = loadRuntime();
    const base = rt.x.opa_heap_ptr_get();
    const bad = Buffer.from("{oops");
    new Uint8Array(rt.memory.buffer).set(bad, base);
    expect(() => rt.x.opa_eval(0, 0, rt.parse("{}"), base, bad.length, base + bad.length, 0)).toThrow(/invalid input/);
  });

  test("context path (ABI 1.1 callers)", () => {
    const rt = loadRuntime({ evalEntrypoint: (r, _e, i) => r.call("rt_get", new Value(i), "x") });
    const ctx = rt.x.opa_eval_ctx_new();
    rt.x.opa_eval_ctx_set_input(ctx, rt.parse('{"x":{"y":true}}'));
    rt.x.opa_eval_ctx_set_data(ctx, rt.parse("{}"));
    rt.x.opa_eval_ctx_set_entrypoint(ctx, 0);
    expect(rt.x.eval(ctx)).toBe(0);
    expect(rt.dump(rt.x.opa_eval_ctx_get_result(ctx))).toBe('[{"result":{"y":true}}]');
    rt.x.opa_eval_ctx_set_input(ctx, rt.parse("{}"));
    rt.x.eval(ctx);
    expect(rt.dump(rt.x.opa_eval_ctx_get_result(ctx))).toBe("[]");
  });

  test("heap pointer get/set and the no-op exports", () => {
    const rt = loadRuntime();
    const p = rt.x.opa_heap_ptr_get();
    const a = rt.x.opa_malloc(10);
    expect(a).toBe(p);
    expect(rt.x.opa_heap_ptr_get()).toBeGreaterThan(p);
    rt.x.opa_heap_ptr_set(p);
    expect(rt.x.opa_heap_ptr_get()).toBe(p);
    expect(() => rt.x.opa_free(a)).not.toThrow();
    const v = rt.parse("[1]");
    expect(rt.x.opa_value_add_path(v, v, v)).toBe(3);
    expect(rt.x.opa_value_remove_path(v, v)).toBe(3);
    expect(rt.cString(rt.x.opa_value_dump(v))).toBe("[1]");
    const [s, n] = rt.bytes('{"a":1}');
    expect(rt.dump(rt.x.opa_value_parse(s, n))).toBe('{"a":1}');
  });

  test("memory grows on demand for big allocations", () => {
    const rt = loadRuntime();
    const before = rt.memory.buffer.byteLength;
    const a = rt.x.opa_malloc(1 << 20);
    expect(rt.memory.buffer.byteLength).toBeGreaterThanOrEqual(a + (1 << 20));
    expect(rt.memory.buffer.byteLength).toBeGreaterThan(before);
  });
});
