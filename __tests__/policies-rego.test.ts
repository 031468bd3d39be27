import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./policies-fixtures";

/**
 * The Rego unit tests (`*_test.rego`, what `rego-wasm test policies/` and `opa test policies/` run), through the
 * project's compiler: every test must pass, and none may be silently dropped.
 */

interface TestReport {
  lines: string[];
  passed: number;
  failed: number;
}

type Tester = { runTests: (modules: Record<string, string>, options: { verbose: boolean }) => Promise<TestReport> };

function regoModules(): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const sub of ["config", "terraform"]) {
    const dir = path.join(ROOT, "policies", sub);
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".rego")).sort()) {
      modules[`policies/${sub}/${f}`] = readFileSync(path.join(dir, f), "utf8");
    }
  }
  return modules;
}

describe("Rego policy tests", () => {
  it("all pass under rego-wasm", async () => {
    const modules = regoModules();
    const declared = Object.values(modules).reduce((n, src) => n + (src.match(/^test_[A-Za-z0-9_]+ if/gm) ?? []).length, 0);
    expect(declared).toBeGreaterThanOrEqual(94);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tester = require("../tools/rego-wasm/src/tester") as Tester;
    const report = await tester.runTests(modules, { verbose: true });
    const failures = report.lines.filter((l) => /^(FAIL|ERROR) /.test(l));
    expect(failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(declared);
  });
});
