import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runTests, summaryLine } from "../src/tester";
import { RegoCompileError } from "../src/ast";

const POLICY = `package demo
import rego.v1

allow if input.user == "admin"

deny contains "no-user" if not input.user

conflict := input.a
conflict := input.b
`;

const TESTS = `package demo_test
import rego.v1
import data.demo

test_admin_allowed if demo.allow with input as {"user": "admin"}

test_guest_denied if {
  not demo.allow with input as {"user": "guest"}
}

test_missing_user if demo.deny["no-user"] with input as {}

test_wrong_expectation if demo.allow with input as {"user": "guest"}

test_conflict if demo.conflict with input as {"a": 1, "b": 2}
`;

describe("runTests", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rego-tester-"));
    fs.mkdirSync(path.join(dir, "nested"));
    fs.writeFileSync(path.join(dir, "demo.rego"), POLICY);
    fs.writeFileSync(path.join(dir, "nested", "demo_test.rego"), TESTS);
    fs.writeFileSync(path.join(dir, "README.md"), "not rego");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("discovers test_ rules in folders, compiles once and classifies PASS/FAIL/ERROR", async () => {
    const report = await runTests([dir], { verbose: false });
    const testFile = path.join(dir, "nested", "demo_test.rego");
    expect(report.results.map((r) => [r.name, r.outcome])).toEqual([
      ["data.demo_test.test_admin_allowed", "PASS"],
      ["data.demo_test.test_guest_denied", "PASS"],
      ["data.demo_test.test_missing_user", "PASS"],
      ["data.demo_test.test_wrong_expectation", "FAIL"],
      ["data.demo_test.test_conflict", "ERROR"],
    ]);
    expect(report.passed).toBe(3);
    expect(report.failed).toBe(2);
    expect(report.errors.map((e) => e.name)).toEqual(["data.demo_test.test_conflict"]);
    expect(report.errors[0].message).toMatch(/complete rules must not produce multiple outputs/);
    expect(report.lines[0]).toBe(`FAIL data.demo_test.test_wrong_expectation (${testFile}:13)`);
    expect(report.lines[1]).toMatch(new RegExp(`^ERROR data\\.demo_test\\.test_conflict \\(${escape(testFile)}:15\\): `));
    expect(summaryLine(report)).toBe("3 passed, 2 failed");
  });

  it("prints PASS lines with verbose and accepts modules already read", async () => {
    const report = await runTests({ "demo.rego": POLICY, "demo_test.rego": TESTS }, { verbose: true });
    expect(report.lines.filter((l) => l.startsWith("PASS"))).toEqual([
      "PASS data.demo_test.test_admin_allowed (demo_test.rego:5)",
      "PASS data.demo_test.test_guest_denied (demo_test.rego:7)",
      "PASS data.demo_test.test_missing_user (demo_test.rego:11)",
    ]);
    expect(report.lines).toContain("FAIL data.demo_test.test_wrong_expectation (demo_test.rego:13)");
    expect(report.results.find((r) => r.outcome === "FAIL")!.message).toBe("undefined");
  });

  it("reports no tests as 0 passed, 0 failed and propagates compile errors", async () => {
    const none = await runTests({ "demo.rego": POLICY }, { verbose: false });
    expect(summaryLine(none)).toBe("0 passed, 0 failed");
    await expect(runTests({ "bad_test.rego": "package t\ntest_x if {\n  y > 1\n}\n" }, { verbose: false })).rejects.toThrow(
      RegoCompileError,
    );
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
