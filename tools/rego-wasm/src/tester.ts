/**
 * `rego-wasm test`: the role of `opa test` for this compiler. Every complete rule named `test_*` (in any
 * module, usually `*_test.rego`) becomes an entrypoint; all modules compile once into one Wasm module, which
 * the unmodified SDK evaluates per test. Pass = the rule's value is `true`; undefined or any other value =
 * FAIL; an abort (conflict, builtin error) = ERROR (counted as failed).
 */

import * as fs from "fs";
import * as path from "path";
import { parseModule } from "./parser";
import { compileRego } from "./index";
import { errorMessage, evaluate, loadCompiled } from "./sdk";

export type TestOutcome = "PASS" | "FAIL" | "ERROR";

export interface TestResult {
  /** `data.pkg.test_x`. */
  name: string;
  /** `file:line` of the (first) definition. */
  location: string;
  outcome: TestOutcome;
  /** For ERROR: the abort message; for FAIL: the value when defined but not true. */
  message?: string;
}

export interface TestReport {
  /** Lines to print (FAIL/ERROR always, PASS with verbose), without the closing summary line. */
  lines: string[];
  passed: number;
  /** Failed and errored tests. */
  failed: number;
  errors: TestResult[];
  results: TestResult[];
}

export interface TestOptions {
  verbose: boolean;
  /** Compile with OPA's strict-builtin-errors (a builtin error in a test is then an ERROR, as `opa test` reports it). */
  strictBuiltinErrors?: boolean;
}

/**
 * Runs the tests found in `inputs`: either paths (files or folders, searched recursively for `.rego`) or
 * already-read modules (file name → source). Compile errors propagate as RegoCompileError.
 */
export async function runTests(inputs: string[] | Record<string, string>, opts: TestOptions): Promise<TestReport> {
  const modules = Array.isArray(inputs) ? readRegoFiles(inputs) : inputs;
  const tests = new Map<string, { entrypoint: string; location: string }>();
  for (const [file, source] of Object.entries(modules)) {
    const mod = parseModule(file, source);
    for (const rule of mod.rules) {
      if (rule.kind !== "complete" || rule.default || rule.path.length !== 1 || !rule.path[0].startsWith("test_")) continue;
      const full = [...mod.package, rule.path[0]];
      const name = `data.${full.join(".")}`;
      if (!tests.has(name)) tests.set(name, { entrypoint: full.join("/"), location: `${file}:${rule.loc.line}` });
    }
  }
  const report: TestReport = { lines: [], passed: 0, failed: 0, errors: [], results: [] };
  if (tests.size === 0) return report;
  const compiled = await compileRego(modules, {
    entrypoints: [...tests.values()].map((t) => t.entrypoint),
    strictBuiltinErrors: opts.strictBuiltinErrors === true,
  });
  const policy = await loadCompiled(compiled.wasm);
  for (const [name, t] of tests) {
    let result: TestResult;
    try {
      const ev = evaluate(policy, t.entrypoint, undefined);
      if (ev.defined && ev.value === true) result = { name, location: t.location, outcome: "PASS" };
      else {
        result = {
          name,
          location: t.location,
          outcome: "FAIL",
          message: ev.defined ? `value ${JSON.stringify(ev.value)}` : "undefined",
        };
      }
    } catch (e) {
      result = { name, location: t.location, outcome: "ERROR", message: errorMessage(e) };
    }
    report.results.push(result);
    if (result.outcome === "PASS") {
      report.passed++;
      if (opts.verbose) report.lines.push(`PASS ${name} (${t.location})`);
    } else {
      report.failed++;
      if (result.outcome === "ERROR") {
        report.errors.push(result);
        report.lines.push(`ERROR ${name} (${t.location}): ${result.message}`);
      } else {
        report.lines.push(`FAIL ${name} (${t.location})`);
      }
    }
  }
  return report;
}

/** Closing line, the same shape for every caller: `N passed, N failed`. */
export function summaryLine(report: TestReport): string {
  return `${report.passed} passed, ${report.failed} failed`;
}

/** Reads every `.rego` file under the given files/folders (sorted, so compile output is reproducible). */
export function readRegoFiles(inputs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (p: string, explicit: boolean): void => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name), false);
    } else if (explicit || p.endsWith(".rego")) {
      out[p] = fs.readFileSync(p, "utf8");
    }
  };
  for (const i of inputs) visit(i, true);
  return out;
}
