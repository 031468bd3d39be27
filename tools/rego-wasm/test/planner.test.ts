/** Planner: data-path resolution over the rule tree and lazy (reachability-driven) function planning. */
import { parseModule } from "../src/parser";
import { analyze } from "../src/analyze";
import { Planner } from "../src/planner";

function planner(...sources: string[]): Planner {
  return new Planner(analyze(sources.map((s, i) => parseModule(`m${i}.rego`, s))));
}

const A = "package a.b\nimport rego.v1\np := 1\nq contains 2 if true\nf(x) := x\n";
const C = "package c\nimport rego.v1\nr := data.a.b.p\n";

describe("Planner.resolve", () => {
  const pl = planner(A, C);

  test("a constant path reaching a rule stops at the rule", () => {
    const t = pl.resolve(["a", "b", "p", "x"]);
    expect(t.kind).toBe("rule");
    expect(t.kind === "rule" && t.group.key).toBe("a.b.p");
    expect(t.consumed).toBe(3);
  });

  test("a package prefix is a virtual document", () => {
    expect(pl.resolve(["a"])).toMatchObject({ kind: "virtual", consumed: 1 });
    expect(pl.resolve(["a", "b"])).toMatchObject({ kind: "virtual", consumed: 2 });
    expect(pl.resolve([])).toMatchObject({ kind: "virtual", consumed: 0 });
  });

  test("a variable element under rules must assemble the virtual document first", () => {
    expect(pl.resolve(["a", null, "p"])).toMatchObject({ kind: "virtual", consumed: 1 });
  });

  test("paths that leave the rule tree are base data", () => {
    expect(pl.resolve(["x", "y"])).toMatchObject({ kind: "base", consumed: 0 });
    expect(pl.resolve(["a", "z"])).toMatchObject({ kind: "base", consumed: 1 });
  });
});

describe("Planner.functionFor", () => {
  test("functions are queued once, on first request", () => {
    const pl = planner(A, C);
    const g = pl.program.rules.get("c.r");
    expect(g).toBeDefined();
    const f1 = pl.functionFor(g!);
    const f2 = pl.functionFor(g!);
    expect(f1).toBe(f2);
    expect(pl.functionCount).toBe(1);
    expect(pl.next()).toBe(f1);
    expect(pl.next()).toBeUndefined();
  });
});
