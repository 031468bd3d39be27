/**
 * `CompileOptions.strictBuiltinErrors` (OPA's strict-builtin-errors): the same policy compiled with and without
 * it, evaluated through the unmodified opa-wasm SDK — `loadPolicy` (opa_eval fast path), `loadPolicySync`, and
 * the context path (ABI minor version patched to 1, as an ABI 1.1 SDK drives it). Default: builtin errors make
 * the expression undefined; strict: the SDK throws OPA's message. Also the CLI flags.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadPolicy, loadPolicySync, LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index";
import { main } from "../src/cli";
import { runTests } from "../src/tester";
import { captureOutput } from "./capture-output";

type Binaryen = typeof import("binaryen", { with: { "resolution-mode": "import" } }).default;
// ts-jest compiles to CommonJS, where `import()` would become require(); binaryen is ESM-only.
const importEsm = new Function("m", "return import(m)") as (m: string) => Promise<{ default: Binaryen }>;

const POLICY = `package t
import rego.v1

get := object.get(input.obj, ["a"], 2)
quotient := 10 / input.d
split := strings.split_n("a.b.c", ".", input.n)
prefix if strings.any_prefix_match(input.strings, ["f/"])
fine := 1
`;
const ENTRYPOINTS = ["t/get", "t/quotient", "t/split", "t/prefix", "t/fine"];

/** input → the error OPA raises in strict mode (and the entrypoint that raises it). */
const ERROR_CASES: Array<{ entrypoint: string; input: unknown; message: string }> = [
  { entrypoint: "t/get", input: { obj: "object" }, message: "eval_type_error: object.get: operand 1 must be object but got string" },
  { entrypoint: "t/quotient", input: { d: 0 }, message: "eval_builtin_error: div: divide by zero" },
  {
    entrypoint: "t/split",
    input: { n: 1.5 },
    message: "eval_type_error: strings.split_n: operand 3 must be integer number but got floating-point number",
  },
  {
    entrypoint: "t/prefix",
    input: { strings: [1, 2] },
    message: "eval_type_error: strings.any_prefix_match: operand 1 must be array of strings but got array containing number",
  },
];

async function compile(strict?: boolean): Promise<Uint8Array> {
  const options = strict === undefined ? { entrypoints: ENTRYPOINTS } : { entrypoints: ENTRYPOINTS, strictBuiltinErrors: strict };
  return (await compileRego({ "t.rego": POLICY }, options)).wasm;
}

/** The module with `opa_wasm_abi_minor_version` = 1, so the SDK evaluates through the context path. */
async function asAbi11(wasm: Uint8Array): Promise<Uint8Array> {
  const b = (await importEsm("binaryen")).default;
  const m = b.readBinary(wasm);
  try {
    const F = b.Features;
    m.setFeatures(F.MVP | F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt);
    m.removeExport("opa_wasm_abi_minor_version");
    m.addGlobal("minor_patched", b.i32, false, m.i32.const(1));
    m.addGlobalExport("minor_patched", "opa_wasm_abi_minor_version");
    if (!m.validate()) throw new Error("patched module does not validate");
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

/** The three ways the SDK can run a module: async load (fast path), sync load, and the ABI 1.1 context path. */
async function loaders(wasm: Uint8Array): Promise<Array<[string, LoadedPolicy]>> {
  const ctx = loadPolicySync(await asAbi11(wasm));
  expect((ctx as unknown as { minorVersion: number }).minorVersion).toBe(1);
  return [
    ["loadPolicy", await loadPolicy(wasm)],
    ["loadPolicySync", loadPolicySync(wasm)],
    ["context path", ctx],
  ];
}

/** What evaluate() throws, as text (the SDK throws aborts as plain strings), or null when it returns. */
function thrown(policy: LoadedPolicy, input: unknown, entrypoint: string): string | null {
  try {
    policy.evaluate(input, entrypoint);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

describe("strictBuiltinErrors", () => {
  let lenient: Uint8Array;
  let strict: Uint8Array;
  beforeAll(async () => {
    lenient = await compile();
    strict = await compile(true);
  });

  test("default (option absent or false): builtin errors make the rule undefined", async () => {
    for (const wasm of [lenient, await compile(false)]) {
      for (const [how, policy] of await loaders(wasm)) {
        for (const c of ERROR_CASES) {
          expect([how, c.entrypoint, policy.evaluate(c.input, c.entrypoint)]).toEqual([how, c.entrypoint, []]);
        }
        expect(policy.evaluate({}, "t/fine")).toEqual([{ result: 1 }]);
      }
    }
  });

  test("strict: the SDK throws OPA's message", async () => {
    for (const [how, policy] of await loaders(strict)) {
      for (const c of ERROR_CASES) {
        expect([how, c.entrypoint, thrown(policy, c.input, c.entrypoint)]).toEqual([how, c.entrypoint, c.message]);
      }
    }
  });

  test("strict: valid operands evaluate as usual, and the instance keeps working after an error", async () => {
    for (const [how, policy] of await loaders(strict)) {
      expect([how, policy.evaluate({ obj: { a: 5 } }, "t/get")]).toEqual([how, [{ result: 5 }]]);
      expect(thrown(policy, { d: 0 }, "t/quotient")).toBe("eval_builtin_error: div: divide by zero");
      expect([how, policy.evaluate({ d: 4 }, "t/quotient")]).toEqual([how, [{ result: 2.5 }]]);
      // OPA's split_n keeps the first n parts (conformance: strings/split_n/positive).
      expect([how, policy.evaluate({ n: 2 }, "t/split")]).toEqual([how, [{ result: ["a", "b"] }]]);
      expect([how, policy.evaluate({ strings: ["f/x"] }, "t/prefix")]).toEqual([how, [{ result: true }]]);
      expect([how, policy.evaluate({ strings: ["g/x"] }, "t/prefix")]).toEqual([how, []]);
    }
  });

  test("the flag does not leak between two modules in one process (interleaved evaluations)", async () => {
    const a = await loadPolicy(strict);
    const b = loadPolicySync(lenient);
    const input = { d: 0 };
    for (let i = 0; i < 3; i++) {
      expect(thrown(a, input, "t/quotient")).toBe("eval_builtin_error: div: divide by zero");
      expect(b.evaluate(input, "t/quotient")).toEqual([]);
    }
    // Compiling one after the other (the compiler keeps no state between compiles) gives the same modules.
    expect(Buffer.from(await compile(true)).equals(Buffer.from(strict))).toBe(true);
    expect(Buffer.from(await compile()).equals(Buffer.from(lenient))).toBe(true);
  });

  test("every evaluation sets the compiled mode, whatever the instance's flag was before", async () => {
    const lenientPolicy = await loadPolicy(lenient);
    const strictPolicy = await loadPolicy(strict);
    const exportsOf = (p: LoadedPolicy) =>
      (p as unknown as { wasmInstance: WebAssembly.Instance }).wasmInstance.exports as { rt_set_strict: (f: number) => void };
    exportsOf(lenientPolicy).rt_set_strict(1);
    expect(lenientPolicy.evaluate({ d: 0 }, "t/quotient")).toEqual([]);
    exportsOf(strictPolicy).rt_set_strict(0);
    expect(thrown(strictPolicy, { d: 0 }, "t/quotient")).toBe("eval_builtin_error: div: divide by zero");
  });
});

describe("CLI --strict-builtin-errors", () => {
  let dir: string;
  let out: string[];
  let err: string[];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rego-wasm-strict-"));
    ({ out, err } = captureOutput());
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("build: the flag compiles a strict module; without it the module is lenient", async () => {
    fs.writeFileSync(path.join(dir, "t.rego"), POLICY);
    const strictPath = path.join(dir, "strict.wasm");
    const lenientPath = path.join(dir, "lenient.wasm");
    expect(await main(["build", "--strict-builtin-errors", "-e", "t/quotient", "-o", strictPath, path.join(dir, "t.rego")])).toBe(0);
    expect(await main(["build", "--engine", "builtin", "-e", "t/quotient", "-o", lenientPath, path.join(dir, "t.rego")])).toBe(0);
    expect(err.join("")).toBe("");
    expect(thrown(await loadPolicy(fs.readFileSync(strictPath)), { d: 0 }, "t/quotient")).toBe("eval_builtin_error: div: divide by zero");
    expect((await loadPolicy(fs.readFileSync(lenientPath))).evaluate({ d: 0 }, "t/quotient")).toEqual([]);
    // `opa build -t wasm` has no such option.
    expect(await main(["build", "--engine", "opa", "--strict-builtin-errors", "-e", "t/quotient", "-o", strictPath, dir])).toBe(2);
    expect(err.join("")).toMatch(/--strict-builtin-errors is not available with --engine opa/);
  });

  test("test: a builtin error is an ERROR with the flag, a FAIL (undefined) without", async () => {
    const src = "package t_test\nimport rego.v1\ntest_div if 1 / count([]) == 0\n";
    fs.writeFileSync(path.join(dir, "t_test.rego"), src);
    expect(await main(["test", dir])).toBe(1);
    expect(out.join("")).toMatch(/FAIL data\.t_test\.test_div/);
    out.length = 0;
    expect(await main(["test", "--strict-builtin-errors", dir])).toBe(1);
    expect(out.join("")).toMatch(/ERROR data\.t_test\.test_div .*eval_builtin_error: div: divide by zero/);
    const report = await runTests({ "t_test.rego": src }, { verbose: false, strictBuiltinErrors: true });
    expect(report.errors.map((e) => e.message)).toEqual(["eval_builtin_error: div: divide by zero"]);
  });
});
