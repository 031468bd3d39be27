import * as fs from "fs";
import { defaultSuiteFolder, formatReport, main, mapQuery, runCase, runConformance, valuesEqual, wrapQuery } from "../src/conformance";

describe("conformance harness pieces", () => {
  it("maps queries to entrypoints", () => {
    expect(mapQuery("data.a.b = x")).toEqual({ entrypoint: "a/b", variable: "x" });
    expect(mapQuery("data.x.p.a.b = 1")).toEqual({ entrypoint: "x/p/a/b", constant: 1 });
    expect(mapQuery("data.x.p = input")).toEqual({ entrypoint: "x/p", matchInput: true });
    expect(mapQuery("data.generated.p(1) = x")).toBeNull();
    expect(mapQuery("data.x.p[x] = z")).toBeNull();
    expect(mapQuery("1 / 0")).toBeNull();
    expect(wrapQuery("data.x.p[x] = z")).toEqual({
      entrypoint: "conformance_query/bindings",
      wrapper: 'package conformance_query\n\nbindings contains {"x": x, "z": z} if {\ndata.x.p[x] = z\n}\n',
    });
  });

  it("compares values numerically and by structure", () => {
    expect(valuesEqual({ a: [1, 2.0] }, { a: [1.0, 2] })).toBe(true);
    expect(valuesEqual([1, 2], [2, 1])).toBe(false);
    expect(valuesEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(valuesEqual("1", 1)).toBe(false);
  });

  it("classifies single cases", async () => {
    const modules = ["package t\np := x if x := input.v\nq := input.a\nq := input.b\n"];
    expect(await runCase({ query: "data.t.p = x", modules, input: { v: 3 }, want_result: [{ x: 3 }] })).toEqual({ outcome: "passed" });
    expect(await runCase({ query: "data.t.p = x", modules, input: { w: 3 }, want_result: [] })).toEqual({ outcome: "passed" });
    expect(await runCase({ query: "data.t.p = x", modules, input: { v: 4 }, want_result: [{ x: 3 }] })).toEqual({
      outcome: "failed",
      reason: "got 4, want 3",
    });
    expect(
      await runCase({ query: "data.t.q = x", modules, input: { a: 1, b: 2 }, want_error: "rule data.t.q produced conflicting values" }),
    ).toEqual({ outcome: "passed" });
    // Other query shapes run through a wrapper rule collecting binding objects.
    const fmods = ["package t\nf(a) := a + 1\nm := {\"a\": 1, \"b\": 2}\n"];
    expect(await runCase({ query: "data.t.f(1) = x", modules: fmods, want_result: [{ x: 2 }] })).toEqual({ outcome: "passed" });
    expect(
      await runCase({ query: "data.t.m[k] = v", modules: fmods, want_result: [{ k: "b", v: 2 }, { k: "a", v: 1 }] }),
    ).toEqual({ outcome: "passed" });
    expect(await runCase({ query: "data.t.m[k] = 3", modules: fmods, want_result: [] })).toEqual({ outcome: "passed" });
    expect(await runCase({ query: "some x in [1]", modules: fmods, want_result: [] })).toMatchObject({ outcome: "unsupported" });
    // Inputs the SDK cannot pass (sets, falsy values) go through `with input as`.
    const imods = ["package t\np := input\nq if input == false\n"];
    expect(await runCase({ query: "data.t.p = x", modules: imods, input_term: "{1, 2}", want_result: [{ x: [1, 2] }] })).toEqual({
      outcome: "passed",
    });
    expect(await runCase({ query: "data.t.q = x", modules: imods, input: false, want_result: [{ x: true }] })).toEqual({
      outcome: "passed",
    });
    expect(await runCase({ query: "data.t.p = x", modules: ["package t\np := y"], want_result: [{ x: 1 }] })).toMatchObject({
      outcome: "failed",
      reason: expect.stringMatching(/^compile error: test-0\.rego:2:6: .*var y is unsafe/),
    });
  });
});

describe("OPA conformance suite", () => {
  it("has no failing cases (when the suite folder is present)", async () => {
    const folder = defaultSuiteFolder();
    if (!fs.existsSync(folder)) {
      console.warn(`conformance suite ${folder} absent; not run`);
      return;
    }
    const report = await runConformance(folder);
    const lines = formatReport(report, false);
    // Printed so a failing run shows per-directory figures and the failing notes.
    console.log(lines.join("\n"));
    expect(report.passed + report.failed + report.unsupported).toBeGreaterThan(300);
    expect(report.cases.filter((c) => c.outcome === "failed").map((c) => `${c.note}: ${c.reason}`)).toEqual([]);
  }, 600_000);
});

test("a suite folder named on the command line must exist (exit 2), only the default one may be absent", async () => {
  const err: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
  try {
    expect(await main(["/nonexistent/opa-conformance"])).toBe(2);
  } finally {
    spy.mockRestore();
  }
  expect(err.join("")).toBe("conformance: suite folder /nonexistent/opa-conformance not found\n");
});
