import * as fs from "fs";
import { Expr, RegoCompileError, Term } from "../src/ast";
import { parseModule } from "../src/parser";
import { analyze } from "../src/analyze";
import { entrypointPath, findRuleGroup, Program } from "../src/program";
import { defaultSuiteFolder, suiteCases } from "../src/conformance";
import { showTerm } from "./term-text";

function show(t: Term): string {
  return showTerm(t, (body) => body.map(showExpr).join("; "));
}
function showExpr(e: Expr): string {
  const k = e.kind;
  let s: string;
  switch (k.type) {
    case "term":
      s = show(k.term);
      break;
    case "unify":
      s = `${show(k.left)} = ${show(k.right)}`;
      break;
    case "assign":
      s = `${show(k.left)} := ${show(k.right)}`;
      break;
    case "some-decl":
      s = `some ${k.vars.join(", ")}`;
      break;
    case "some-in":
      s = `some ${k.key ? show(k.key) + ", " : ""}${show(k.value)} in ${show(k.collection)}`;
      break;
    case "every":
      s = `every ${k.key ? show(k.key) + ", " : ""}${show(k.value)} in ${show(k.collection)} { ${k.body.map(showExpr).join("; ")} }`;
      break;
  }
  if (e.negated) s = `not ${s}`;
  for (const w of e.with) s += ` with ${show(w.target)} as ${show(w.value)}`;
  return `${s} ⟨${(e.binds ?? []).join(",")}⟩`;
}

function program(...sources: string[]): Program {
  return analyze(sources.map((s, i) => parseModule(`m${i}.rego`, s)));
}

function bodyOf(p: Program, key: string, index = 0): string[] {
  return p.rules.get(key)!.rules[index].body.map(showExpr);
}

function compileError(...sources: string[]): string {
  try {
    program(...sources);
  } catch (e) {
    expect(e).toBeInstanceOf(RegoCompileError);
    return (e as Error).message;
  }
  throw new Error("expected a compile error");
}

describe("analyze: grouping", () => {
  it("groups rules by full path with kinds and arity", () => {
    const p = program(
      `package a.b
default allow := false
allow if input.x
deny contains "m" if input.y
o[k] := 1 if some k in input.ks
f(x) := x
f(x) := 2 if x > 1
c.d.e := 1`,
    );
    const groups = [...p.rules.values()].map((g) => [g.key, g.kind, g.arity, g.rules.length, g.defaultRule !== null]);
    expect(groups).toEqual([
      ["a.b.allow", "complete", null, 1, true],
      ["a.b.deny", "set", null, 1, false],
      ["a.b.o", "object", null, 1, false],
      ["a.b.f", "function", 1, 2, false],
      ["a.b.c.d.e", "complete", null, 1, false],
    ]);
    expect(findRuleGroup(p, entrypointPath("a/b/c/d/e/x"))).toMatchObject({ group: { key: "a.b.c.d.e" }, rest: ["x"] });
    expect(entrypointPath("data.a.b")).toEqual(["a", "b"]);
  });

  it("rejects conflicting kinds, arities, defaults and prefixes", () => {
    expect(compileError("package a\np := 1\np contains 2")).toMatch(/m0\.rego:3:1: .*conflicting rules data\.a\.p/);
    expect(compileError("package a\nf(x) := 1\nf(x, y) := 2")).toMatch(/conflicting definitions of function data\.a\.f/);
    expect(compileError("package a\ndefault p := 1\ndefault p := 2")).toMatch(/multiple default rules data\.a\.p/);
    expect(compileError("package a\np := {}\np.q := 1")).toMatch(/rule data\.a\.p\.q conflicts with rule data\.a\.p/);
  });
});

describe("analyze: name resolution", () => {
  it("rewrites rule names, imports and calls to absolute refs", () => {
    const p = program(
      `package a
import data.lib.util as u
import input.request as req
q := 1
p if {
  q == 1
  u.helper(req.user)
  x := data.lib.util.f(1)
  split("a.b", ".", parts)
  count(parts) == 2
}`,
      `package lib.util
helper(x) := true
f(x) := x`,
    );
    expect(bodyOf(p, "a.p")).toEqual([
      "equal(data.a.q, 1) ⟨⟩",
      "data.lib.util.helper(input.request.user) ⟨⟩",
      "x := data.lib.util.f(1) ⟨x⟩",
      'split("a.b", ".") = parts ⟨parts⟩',
      "equal(count(parts), 2) ⟨⟩",
    ]);
  });

  it("sees rules and functions of the same package declared in other files", () => {
    const p = program("package p\nv contains x if { x := f(1) }", "package p\nf(x) := x\ng := 2", "package q\ng := 3");
    expect(bodyOf(p, "p.v")).toEqual(["x := data.p.f(1) ⟨x⟩"]);
  });

  it("lets locals shadow rule names and renames shadowing closure vars", () => {
    const p = program(`package a
x := 5
p := y if {
  x := 1
  y := [x | some x in [2, 3]]
}`);
    expect(bodyOf(p, "a.p")).toEqual(["x := 1 ⟨x⟩", "y := [x$1 | some x$1 in [2, 3] ⟨x$1⟩] ⟨y⟩"]);
  });

  it("rejects builtins removed from Rego v1 and duplicate import names", () => {
    expect(compileError("package a\np if any([true])")).toMatch(/m0\.rego:2:6: .*deprecated built-in function any is not allowed/);
    expect(compileError("package a\nimport data.x.y\nimport data.z.y\np := 1")).toMatch(/m0\.rego:3:1: .*import y must not shadow import data\.x\.y/);
  });

  it("reports undefined functions and arity mismatches", () => {
    expect(compileError("package a\np if nope(1)")).toMatch(/m0\.rego:2:6: rego_type_error: undefined function nope/);
    expect(compileError("package a\np if count(1, 2, 3)")).toMatch(/arity mismatch/);
  });
});

describe("analyze: safety", () => {
  it("reorders expressions so inputs are bound first and records binds", () => {
    const p = program(`package a
p contains y if {
  y > 1
  y = x + 1
  x = input.xs[i]
  not input.bad[_]
}`);
    expect(bodyOf(p, "a.p")).toEqual([
      "x = input.xs[i] ⟨x,i⟩",
      "not input.bad[$_0] ⟨⟩",
      "y = plus(x, 1) ⟨y⟩",
      "gt(y, 1) ⟨⟩",
    ]);
  });

  it("binds pattern vars and ref keys in unification", () => {
    const p = program(`package a
p if {
  [a, {"k": b}] = input.pair
  input.m[k] = v
  some [c, d] in input.pairs
  every e in input.es { e != a }
}`);
    expect(bodyOf(p, "a.p")).toEqual([
      '[a, {"k": b}] = input.pair ⟨a,b⟩',
      "input.m[k] = v ⟨k,v⟩",
      "some [c, d] in input.pairs ⟨c,d⟩",
      "every e in input.pairs { neq(e, a) ⟨⟩ } ⟨⟩".replace("input.pairs", "input.es"),
    ]);
  });

  it("orders comprehensions after the outer vars they read", () => {
    const p = program(`package a
p := n if {
  n := count([v | some v in input.xs; v > lim])
  lim = input.limit
}`);
    expect(bodyOf(p, "a.p")).toEqual([
      "lim = input.limit ⟨lim⟩",
      "n := count([v | some v in input.xs ⟨v⟩; gt(v, lim) ⟨⟩]) ⟨n⟩",
    ]);
  });

  it("counts outer vars read inside every bodies nested in closures", () => {
    const p = program(`package a
p := xs if {
  xs := [x | some x in input.xs; every y in input.ys { y < m }]
  m = input.m
}`);
    expect(bodyOf(p, "a.p")).toEqual([
      "m = input.m ⟨m⟩",
      "xs := [x | some x in input.xs ⟨x⟩; every y in input.ys { lt(y, m) ⟨⟩ } ⟨⟩] ⟨xs⟩",
    ]);
  });

  it("keeps vars of comprehensions nested in comprehension heads local to them", () => {
    const p = program("package a\np := [[y | some y in x; y > m] | some x in input.xs] if m := 1");
    expect(p.rules.get("a.p")!.rules[0].value && show(p.rules.get("a.p")!.rules[0].value!)).toBe(
      "[[y | some y in x ⟨y⟩; gt(y, m) ⟨⟩] | some x in input.xs ⟨x⟩]",
    );
  });

  it("follows OPA's declaration order: a later := does not reach earlier closures", () => {
    expect(compileError("package a\np if {\n  n := count([v | some v in input.xs; v > lim])\n  lim := 1\n}")).toMatch(
      /m0\.rego:3:43: rego_unsafe_var_error: var lim is unsafe/,
    );
  });

  it("reports unsafe vars with their location", () => {
    expect(compileError("package a\np if {\n  x > 1\n}")).toBe("m0.rego:3:3: rego_unsafe_var_error: var x is unsafe");
    expect(compileError("package a\np := x if input.a")).toMatch(/m0\.rego:2:6: .*var x is unsafe/);
    expect(compileError("package a\np if not input.a[x]")).toMatch(/var x is unsafe/);
  });

  it("checks declarations and with targets", () => {
    expect(compileError("package a\np if {\n  x := 1\n  x := 2\n}")).toMatch(/m0\.rego:4:3: rego_compile_error: var x assigned above/);
    expect(compileError("package a\np if {\n  input := 1\n}")).toMatch(/cannot assign to input/);
    expect(compileError("package a\np if {\n  x = 1\n  x := 2\n}")).toMatch(/var x referenced above/);
    expect(compileError("package a\np if q with foo as 1\nq := 1")).toMatch(/with target foo is not supported/);
    expect(compileError("package a\np if q with data.a.f as 1\nq := 1\nf(x) := x")).toMatch(/with on function data\.a\.f is not supported/);
  });

  it("rejects `some` declarations that are never used", () => {
    expect(compileError("package a\np if {\n  some x\n  input.a\n}")).toBe("m0.rego:3:3: rego_compile_error: declared var x unused");
    const p = program("package a\np contains x if {\n  some x\n  input.xs[x]\n}");
    expect(bodyOf(p, "a.p")).toEqual(["input.xs[x] ⟨x⟩"]);
  });

  it("rejects recursion", () => {
    expect(compileError("package a\np if q\nq if p")).toMatch(/rego_recursion_error: rule data\.a\.\w is recursive/);
  });
});

describe("analyze over the OPA conformance corpus", () => {
  it("analyses every case's modules without error (when the suite folder is present)", () => {
    const suite = defaultSuiteFolder();
    if (!fs.existsSync(suite)) {
      console.warn(`conformance suite ${suite} absent; corpus not analysed`);
      return;
    }
    const failures: string[] = [];
    let count = 0;
    for (const { case: c } of suiteCases(suite)) {
      if (/^rego_/.test(c.want_error_code ?? "")) continue;
      count++;
      try {
        analyze((c.modules ?? []).map((m, i) => parseModule(`test-${i}.rego`, m)));
      } catch (e) {
        failures.push(`${c.note}: ${(e as Error).message}`);
      }
    }
    expect(count).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  });
});
