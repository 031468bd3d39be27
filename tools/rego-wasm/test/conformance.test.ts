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

describe("strict_error cases", () => {
  const modules = ['package t\np := x if x := object.get(input.obj, ["a"], 2)\nq := 1 / input.d\n'];
  const getCase = {
    query: "data.t.p = x",
    modules,
    input: { obj: "object" },
    want_error_code: "eval_type_error",
    want_error: "object.get: operand 1 must be object but got string",
    strict_error: true,
  };

  it("compiles them in strict mode and requires OPA's error", async () => {
    expect(await runCase(getCase)).toEqual({ outcome: "passed" });
    // want_error with OPA's location prefix: the part after the location is compared.
    const located = { ...getCase, want_error_code: undefined, want_error: `test-0.rego:2: eval_type_error: ${getCase.want_error}` };
    expect(await runCase(located)).toEqual({ outcome: "passed" });
    expect(await runCase({ ...getCase, want_error: "object.get: operand 2 must be array but got string" })).toMatchObject({
      outcome: "failed",
      reason: expect.stringContaining('error "eval_type_error: object.get: operand 1 must be object but got string"'),
    });
    // A strict builtin error must carry its code: a type error is not a builtin error.
    expect(await runCase({ ...getCase, want_error_code: "eval_builtin_error" })).toMatchObject({ outcome: "failed" });
  });

  it("has no lenient pass: undefined (or a want_result) instead of the error fails", async () => {
    // Valid operands: the query is defined, so the expected error is missing.
    expect(await runCase({ ...getCase, input: { obj: { a: 1 } } })).toEqual({
      outcome: "failed",
      reason: `expected error ${getCase.want_error}, got 1`,
    });
    // Without strict_error the same case compiles leniently: undefined, and the error is missing.
    expect(await runCase({ ...getCase, strict_error: undefined })).toEqual({
      outcome: "failed",
      reason: `expected error ${getCase.want_error}, got undefined`,
    });
    const both = { query: "data.t.q = x", modules, input: { d: 0 }, want_result: [{ x: 1 }], want_error_code: "eval_builtin_error", want_error: "divide by zero" };
    expect(await runCase({ ...both, strict_error: true })).toEqual({ outcome: "passed" });
    expect(await runCase({ ...both, input: { d: 1 }, strict_error: true })).toMatchObject({ outcome: "failed" });
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
    // No lenient passes: a passed case carries no explanation (strict_error cases raise OPA's error).
    expect(report.cases.filter((c) => c.outcome === "passed" && c.reason).map((c) => `${c.note}: ${c.reason}`)).toEqual([]);
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
