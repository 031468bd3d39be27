import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compiledPolicy, gatePolicySets, policyHash, readRegoSources } from "../policies/compile-cache";
import { ROOT } from "./policies-fixtures";

/** The Wasm cache: content-addressed by the Rego sources, written atomically, reused without recompiling. */

let cacheDir: string;
beforeAll(() => {
  cacheDir = mkdtempSync(path.join(os.tmpdir(), "gate-cache-test-"));
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe("policy compile cache", () => {
  it("reads the policies without their tests", () => {
    const sources = readRegoSources(gatePolicySets(ROOT).config.dir, ROOT);
    const files = Object.keys(sources);
    expect(files).toContain("policies/config/report_formats.rego");
    expect(files.some((f) => f.endsWith("_test.rego"))).toBe(false);
    expect(files).toEqual([...files].sort());
  });

  it("changes the key when a source, the entrypoint or the compiler changes", () => {
    const base = policyHash({ "a.rego": "package a" }, "a/v", "c1");
    expect(policyHash({ "a.rego": "package a" }, "a/v", "c1")).toBe(base);
    expect(policyHash({ "a.rego": "package a " }, "a/v", "c1")).not.toBe(base);
    expect(policyHash({ "b.rego": "package a" }, "a/v", "c1")).not.toBe(base);
    expect(policyHash({ "a.rego": "package a" }, "a/w", "c1")).not.toBe(base);
    expect(policyHash({ "a.rego": "package a" }, "a/v", "c2")).not.toBe(base);
  });

  it("compiles once, then serves the same module from the cache", async () => {
    const set = gatePolicySets(ROOT).terraform;
    const first = await compiledPolicy(set, { cacheDir, engine: "rego-wasm" });
    expect(first.source).toBe("rego-wasm");
    expect(first.file).toBe(path.join(cacheDir, `${first.hash}.wasm`));
    expect(readdirSync(cacheDir)).toEqual([`${first.hash}.wasm`]);

    const second = await compiledPolicy(set, { cacheDir });
    expect(second.source).toBe("cache");
    expect(second.hash).toBe(first.hash);
    expect(Buffer.from(second.wasm).equals(Buffer.from(first.wasm))).toBe(true);
    expect(Buffer.from(readFileSync(first.file)).equals(Buffer.from(first.wasm))).toBe(true);

    // The cached module is a working OPA Wasm module.
    const policy = await loadPolicy(second.wasm);
    expect(policy.evaluate({ stacks: {} }, set.entrypoint)).toEqual([{ result: [] }]);
  });

  it("rebuilds on request without leaving temp files", async () => {
    const set = gatePolicySets(ROOT).config;
    const a = await compiledPolicy(set, { cacheDir, engine: "rego-wasm" });
    const b = await compiledPolicy(set, { cacheDir, engine: "rego-wasm", force: true });
    expect(b.source).toBe("rego-wasm");
    expect(b.hash).toBe(a.hash);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("policy compile cache without a writable folder", () => {
  it("still returns the compiled module", async () => {
    // A file where the cache folder should be: mkdir fails, the build is returned anyway.
    const blocker = path.join(cacheDir, "not-a-dir");
    writeFileSync(blocker, "");
    const c = await compiledPolicy(gatePolicySets(ROOT).terraform, { cacheDir: path.join(blocker, "build"), engine: "rego-wasm" });
    expect(c.source).toBe("rego-wasm");
    const policy = await loadPolicy(c.wasm);
    expect(policy.evaluate({ stacks: {} }, "backup_audit/terraform/violations")).toEqual([{ result: [] }]);
  });
});
