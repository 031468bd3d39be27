/**
 * End-to-end tests of compileRego: real Rego compiled by the built-in compiler, loaded through the unmodified
 * opa-wasm SDK (both loadPolicy and loadPolicySync; evalRego asserts they agree), results checked.
 */
import { compileRego, RegoCompileError } from "../src/index";
import { evalRego } from "./compile-helpers";

const V1 = "package t\nimport rego.v1\n";

describe("compileRego: rules and values", () => {
  test("constant complete rule", async () => {
    expect(await evalRego(`${V1}p := 7\n`, "t/p")).toBe(7);
  });

  test("input lookup and comparison", async () => {
    const src = `${V1}allow if input.user == "alice"\n`;
    expect(await evalRego(src, "t/allow", { user: "alice" })).toBe(true);
    expect(await evalRego(src, "t/allow", { user: "bob" })).toBeUndefined();
  });

  test("default applies only when the rule is undefined", async () => {
    const src = `${V1}default allow := false\nallow if input.ok\n`;
    expect(await evalRego(src, "t/allow", { ok: true })).toBe(true);
    expect(await evalRego(src, "t/allow", {})).toBe(false);
    expect(await evalRego(src, "t/allow")).toBe(false);
  });

  test("partial set from several bodies, empty set is defined", async () => {
    const src = `${V1}
s contains x if { some x in input.a; x > 1 }
s contains "extra" if input.flag
`;
    expect(await evalRego(src, "t/s", { a: [1, 2, 3], flag: true })).toEqual(["extra", 2, 3].sort(cmp));
    expect(await evalRego(src, "t/s", { a: [] })).toEqual([]);
  });

  test("partial object rule and conflicting complete rule", async () => {
    const src = `${V1}
o[k] := v if { some k, v in input.m; v != 0 }
c := 1 if input.a
c := 2 if input.b
`;
    expect(await evalRego(src, "t/o", { m: { a: 1, b: 0, c: 3 } })).toEqual({ a: 1, c: 3 });
    expect(await evalRego(src, "t/c", { a: true })).toBe(1);
    await expect(evalRego(src, "t/c", { a: true, b: true })).rejects.toThrow(/complete rules must not produce multiple outputs/);
  });

  test("else chain", async () => {
    const src = `${V1}
grade := "a" if input.n > 90
else := "b" if input.n > 50
else := "c"
`;
    expect(await evalRego(src, "t/grade", { n: 95 })).toBe("a");
    expect(await evalRego(src, "t/grade", { n: 60 })).toBe("b");
    expect(await evalRego(src, "t/grade", { n: 1 })).toBe("c");
  });
});

describe("compileRego: iteration, negation, every, comprehensions", () => {
  test("nested refs with wildcards iterate", async () => {
    const src = `${V1}
plans contains p.name if { p := input.landingZones[_].reports.plans[_] }
`;
    const input = { landingZones: [{ reports: { plans: [{ name: "a" }, { name: "b" }] } }, { reports: { plans: [{ name: "c" }] } }] };
    expect(await evalRego(src, "t/plans", input)).toEqual(["a", "b", "c"]);
  });

  test("some i, x in xs binds index and value", async () => {
    const src = `${V1}idx contains [i, x] if { some i, x in input.xs; x == "b" }\n`;
    expect(await evalRego(src, "t/idx", { xs: ["a", "b", "c", "b"] })).toEqual([[1, "b"], [3, "b"]]);
  });

  test("not and every", async () => {
    const src = `${V1}
missing contains n if { some n in input.required; not input.present[n] }
all_pos if { every x in input.xs { x > 0 } }
`;
    expect(await evalRego(src, "t/missing", { required: ["a", "b"], present: { a: true } })).toEqual(["b"]);
    expect(await evalRego(src, "t/all_pos", { xs: [1, 2] })).toBe(true);
    expect(await evalRego(src, "t/all_pos", { xs: [1, -2] })).toBeUndefined();
    expect(await evalRego(src, "t/all_pos", { xs: [] })).toBe(true);
  });

  test("array, set and object comprehensions", async () => {
    const src = `${V1}
a := [x * 2 | some x in input.xs]
s := {x | some x in input.xs; x > 1}
o := {k: v | some k, v in input.m; v > 1}
n := count([x | some x in input.xs; x > 1])
`;
    const input = { xs: [1, 2, 3, 2], m: { a: 1, b: 2 } };
    expect(await evalRego(src, "t/a", input)).toEqual([2, 4, 6, 4]);
    expect(await evalRego(src, "t/s", input)).toEqual([2, 3]);
    expect(await evalRego(src, "t/o", input)).toEqual({ b: 2 });
    expect(await evalRego(src, "t/n", input)).toBe(3);
  });

  test("destructuring patterns", async () => {
    const src = `${V1}
p contains y if { some [x, y] in input.pairs; x == "k" }
q := v if { {"a": v} = input.obj }
`;
    expect(await evalRego(src, "t/p", { pairs: [["k", 1], ["j", 2], ["k", 3]] })).toEqual([1, 3]);
    expect(await evalRego(src, "t/q", { obj: { a: 5 } })).toBe(5);
    expect(await evalRego(src, "t/q", { obj: { a: 5, b: 1 } })).toBeUndefined();
  });
});

describe("compileRego: functions, builtins, with, data", () => {
  test("functions with several definitions and violation objects built with sprintf", async () => {
    const src = `${V1}
violation(id, msg) := {"id": id, "message": msg}
kind(x) := "num" if is_number(x)
kind(x) := "str" if is_string(x)
violations contains v if {
  some b in input.buckets
  not startswith(b.name, "org-")
  v := violation("B1", sprintf("bucket %s has no org- prefix", [b.name]))
}
k := kind(input.x)
`;
    expect(await evalRego(src, "t/violations", { buckets: [{ name: "org-a" }, { name: "x" }] }))
      .toEqual([{ id: "B1", message: "bucket x has no org- prefix" }]);
    expect(await evalRego(src, "t/k", { x: 1 })).toBe("num");
    expect(await evalRego(src, "t/k", { x: "s" })).toBe("str");
  });

  test("regex.match, object.get, count", async () => {
    const src = `${V1}
ok if { regex.match("^[a-z]+$", input.name); object.get(input, "n", 0) < 3; count(input.name) == 3 }
`;
    expect(await evalRego(src, "t/ok", { name: "abc" })).toBe(true);
    expect(await evalRego(src, "t/ok", { name: "aBc" })).toBeUndefined();
    expect(await evalRego(src, "t/ok", { name: "abc", n: 5 })).toBeUndefined();
  });

  test("with input as and with data as", async () => {
    const src = `${V1}
allow if input.user == "alice"
limit := data.cfg.limit
test_allow if allow with input as {"user": "alice"}
test_deny if { not allow with input as {"user": "bob"} }
test_limit if { limit == 5 with data.cfg.limit as 5 }
`;
    expect(await evalRego(src, "t/test_allow")).toBe(true);
    expect(await evalRego(src, "t/test_deny", { user: "alice" })).toBe(true);
    expect(await evalRego(src, "t/test_limit", undefined, { cfg: { limit: 1 } })).toBe(true);
    // memoised results from outside a `with` must not leak into it (and vice versa)
    const src2 = `${V1}
allow if input.user == "alice"
both if { allow; not allow with input as {"user": "bob"}; allow }
`;
    expect(await evalRego(src2, "t/both", { user: "alice" })).toBe(true);
  });

  test("with data.<rule> as v replaces the rule only inside the expression", async () => {
    const src = `${V1}
limit := 10
over if { some x in input.xs; x > limit }
test_over if { over with input.xs as [5] with limit as 3 }
test_not if { not over with input.xs as [5] }
test_scope if { over with limit as 3; limit == 10 }
vals contains [x, l] if { some x in [1, 2]; l := limit with limit as x }
`;
    expect(await evalRego(src, "t", { xs: [5] })).toEqual({ limit: 10, test_not: true, test_over: true, test_scope: true, vals: [[1, 1], [2, 2]] });
    await expect(compileRego({ "m.rego": `${V1}f(x) := x\np if { f(1) == 2 with f as 2 }\n` }, { entrypoints: ["t/p"] }))
      .rejects.toThrow(RegoCompileError);
  });

  test("with input.<path> patches a copy of the input", async () => {
    const src = `${V1}a := input.a\np := v if { v := a with input.a.b as 3 }\nq := input.a\n`;
    expect(await evalRego(src, "t/p", { a: { c: 1 } })).toEqual({ b: 3, c: 1 });
    expect(await evalRego(src, "t/p")).toEqual({ b: 3 });
    expect(await evalRego(src, "t/q", { a: { c: 1 } })).toEqual({ c: 1 });
  });

  test("base and virtual documents are merged under a package", async () => {
    const src = { "a.rego": "package x.y\nimport rego.v1\np := 1\nq contains 2 if true\n" };
    expect(await evalRego(src, "x", undefined, { x: { z: 3 } })).toEqual({ y: { p: 1, q: [2] }, z: 3 });
    const src2 = { ...src, "b.rego": "package r\nimport rego.v1\nkeys contains k if { some k, _ in data.x.y }\n" };
    expect(await evalRego(src2, "r/keys", undefined, { x: { y: { b: 0 } } })).toEqual(["b", "p", "q"]);
  });

  test("print shows undefined operands and does not change the outcome", async () => {
    const logs: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((s: unknown) => void logs.push(String(s)));
    try {
      expect(await evalRego(`${V1}p if { print("x is", input.x, input.missing) }\n`, "t/p", { x: [1, "a"] })).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(logs[0]).toBe('x is [1, "a"] <undefined>');
  });

  test("entrypoints must name a rule or a package", async () => {
    await expect(compileRego({ "m.rego": `${V1}a := 1\n` }, { entrypoints: ["t/nope"] })).rejects.toThrow(/does not refer to a rule/);
  });

  test("unsupported constructs are compile errors with a location", async () => {
    const src = `${V1}p := http.send({"url": "x"})\n`;
    await expect(compileRego({ "m.rego": src }, { entrypoints: ["t/p"] })).rejects.toThrow(RegoCompileError);
    await expect(compileRego({ "m.rego": src }, { entrypoints: ["t/p"] })).rejects.toThrow(/^m\.rego:3:\d+: /);
  });

  test("entrypoints map and several entrypoints in one module", async () => {
    const res = await compileRego({ "m.rego": `${V1}a := 1\nb := 2\n` }, { entrypoints: ["t/a", "t/b"] });
    expect(res.entrypoints).toEqual({ "t/a": 0, "t/b": 1 });
  });
});

function cmp(a: unknown, b: unknown): number {
  // Rego order for the few mixed values used here: numbers before strings.
  const rank = (v: unknown): number => (typeof v === "number" ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}
