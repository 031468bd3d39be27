/**
 * Code generation and linking: the emitted module implements OPA's Wasm ABI (checked on the raw
 * WebAssembly instance, and through the SDK), compiles only rules reachable from the entrypoints, memoises per
 * evaluation, and reports conflicts at evaluation time like OPA.
 */
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index";
import { evalRego } from "./compile-helpers";

const V1 = "package t\nimport rego.v1\n";

test("module imports only env.*, exports the ABI and the entrypoints map", async () => {
  const { wasm, entrypoints } = await compileRego({ "m.rego": `${V1}a := "x"\nb := [1, "two", {"k": null}]\n` }, { entrypoints: ["t/a", "t/b"] });
  const mod = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
  const imports = WebAssembly.Module.imports(mod);
  expect(imports.every((i) => i.module === "env")).toBe(true);
  const mem = imports.find((i) => i.kind === "memory");
  expect(mem?.name).toBe("memory");
  const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
  for (const name of ["opa_eval", "opa_malloc", "opa_json_dump", "entrypoints", "builtins", "eval", "opa_wasm_abi_version"]) {
    expect(exports).toContain(name);
  }
  expect(entrypoints).toEqual({ "t/a": 0, "t/b": 1 });
  const policy = await loadPolicy(wasm);
  expect(policy.evaluate(undefined, "t/b")).toEqual([{ result: [1, "two", { k: null }] }]);
  // interned static strings survive repeated evaluations (the heap is reused between calls)
  for (let i = 0; i < 3; i++) expect(policy.evaluate({}, "t/a")).toEqual([{ result: "x" }]);
});

test("only rules reachable from the entrypoints are compiled", async () => {
  const used = `${V1}used := 1\n`;
  const unused = `${used}unused contains sprintf("%v %s", [x, "a string only this rule uses"]) if { some x in input.xs; x > 1 }\n`;
  const a = await compileRego({ "m.rego": used }, { entrypoints: ["t/used"] });
  const b = await compileRego({ "m.rego": unused }, { entrypoints: ["t/used"] });
  expect(b.wasm.length).toBe(a.wasm.length);
  const c = await compileRego({ "m.rego": unused }, { entrypoints: ["t/used", "t/unused"] });
  expect(c.wasm.length).toBeGreaterThan(a.wasm.length);
});

test("memoised results are per evaluation, not cached across inputs", async () => {
  const src = `${V1}name := input.n\nboth := [name, name]\n`;
  const { wasm } = await compileRego({ "m.rego": src }, { entrypoints: ["t/both"] });
  const policy = await loadPolicy(wasm);
  expect(policy.evaluate({ n: "a" }, "t/both")).toEqual([{ result: ["a", "a"] }]);
  expect(policy.evaluate({ n: "b" }, "t/both")).toEqual([{ result: ["b", "b"] }]);
});

test("partial object and function conflicts abort like OPA", async () => {
  const src = `${V1}
o[k] := v if { some k, v in input.pairs }
o[k] := "other" if { some k, _ in input.pairs }
f(x) := 1 if x > 0
f(x) := 2 if x > 1
g := f(input.x)
`;
  await expect(evalRego(src, "t/o", { pairs: { a: 1 } })).rejects.toThrow(/object keys must be unique/);
  expect(await evalRego(src, "t/g", { x: 0.5 })).toBe(1);
  await expect(evalRego(src, "t/g", { x: 5 })).rejects.toThrow(/functions must not produce multiple outputs/);
});

test("data refs with variables iterate over base and virtual documents", async () => {
  const src = {
    "a.rego": "package pkgs.one\nimport rego.v1\nv := 1\n",
    "b.rego": "package pkgs.two\nimport rego.v1\nv := 2\n",
    "c.rego": "package q\nimport rego.v1\nall contains [name, x] if { some name; x := data.pkgs[name].v }\n",
  };
  expect(await evalRego(src, "q/all", undefined, { pkgs: { three: { v: 3 } } })).toEqual([["one", 1], ["three", 3], ["two", 2]]);
});

test("number keys in base-data paths find string keys of objects and indexes of arrays", async () => {
  const src = `${V1}a := data.obj[2]\nb := data.arr[2]\n`;
  expect(await evalRego(src, "t/a", undefined, { obj: { "2": "two" }, arr: [] })).toBe("two");
  expect(await evalRego(src, "t/b", undefined, { obj: {}, arr: ["x", "y", "z"] })).toBe("z");
});

test("a rule reading a document that contains itself is a compile error", async () => {
  const src = `${V1}p := count([k | some k, _ in data.t])\n`;
  await expect(compileRego({ "m.rego": src }, { entrypoints: ["t/p"] })).rejects.toThrow(/m\.rego:\d+:\d+: .*recurs/);
});

test("function results remembered per call stay correct across arguments and with-scopes", async () => {
  const src = `${V1}
g(x) := input.k + x
p := [g(1), g(2), g(1), y, g(1)] if { y := g(1) with input as {"k": 10} }
q contains [a, g(a)] if { some a in [1, 2, 1, 3] }
`;
  expect(await evalRego(src, "t/p", { k: 1 })).toEqual([2, 3, 2, 11, 2]);
  expect(await evalRego(src, "t/q", { k: 0 })).toEqual([[1, 1], [2, 2], [3, 3]]);
});
