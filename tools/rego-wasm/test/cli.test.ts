/** `rego-wasm` CLI: build (built-in engine), test, exit codes, and the opa engine's bundle extraction. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { main } from "../src/cli";
import { extractFromTarGz } from "../src/opa-engine";

let dir: string;
let out: string[];
let err: string[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rego-wasm-cli-"));
  out = [];
  err = [];
  jest.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

const POLICY = `package app.authz
import rego.v1
default allow := false
allow if input.role == "admin"
`;

test("build writes a module the SDK evaluates", async () => {
  write("pol/authz.rego", POLICY);
  const wasmPath = path.join(dir, "out", "policy.wasm");
  const code = await main(["build", "--engine", "builtin", "-e", "app/authz/allow", "-o", wasmPath, path.join(dir, "pol")]);
  expect(err.join("")).toBe("");
  expect(code).toBe(0);
  expect(out.join("")).toMatch(/wrote .*policy\.wasm/);
  const policy = await loadPolicy(fs.readFileSync(wasmPath));
  expect(policy.evaluate({ role: "admin" }, "app/authz/allow")).toEqual([{ result: true }]);
  expect(policy.evaluate({ role: "dev" }, "app/authz/allow")).toEqual([{ result: false }]);
});

test("compile errors print file:line:col and exit 1", async () => {
  const file = write("bad.rego", "package p\nimport rego.v1\nallow if {\n  x := \n}\n");
  const code = await main(["build", "--engine", "builtin", "-e", "p/allow", "-o", path.join(dir, "o.wasm"), file]);
  expect(code).toBe(1);
  expect(err.join("")).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: `));
});

test("unreadable input and usage errors exit 2", async () => {
  expect(await main(["build", "--engine", "builtin", "-e", "p/x", "-o", path.join(dir, "o.wasm"), path.join(dir, "missing")])).toBe(2);
  expect(err.join("")).toMatch(/cannot read .*missing/);
  expect(await main(["build", "-o", "x.wasm", dir])).toBe(2);
  expect(await main(["frobnicate"])).toBe(2);
});

test("test runs test_ rules and exits 1 on failures", async () => {
  // the policy and its tests in separate files of one package, as `opa test` users lay them out
  write("t/authz.rego", POLICY);
  write("t/authz_test.rego", `package app.authz
import rego.v1
test_admin if allow with input as {"role": "admin"}
test_dev_denied if not allow with input as {"role": "dev"}
`);
  expect(await main(["test", "-v", path.join(dir, "t")])).toBe(0);
  const text = out.join("");
  expect(text).toMatch(/PASS data\.app\.authz\.test_admin/);
  expect(text).toMatch(/2 passed, 0 failed\n$/);

  out.length = 0;
  write("t/broken_test.rego", `package app.broken
import rego.v1
allow if input.role == "admin"
test_wrong if allow with input as {"role": "dev"}
`);
  expect(await main(["test", path.join(dir, "t")])).toBe(1);
  expect(out.join("")).toMatch(/FAIL data\.app\.broken\.test_wrong[\s\S]*2 passed, 1 failed\n$/);
});

test("extractFromTarGz finds /policy.wasm in an opa bundle", () => {
  const entry = (name: string, body: Buffer): Buffer => {
    const h = Buffer.alloc(512);
    h.write(name, 0, "latin1");
    h.write("0000644\0", 100, "latin1");
    h.write(body.length.toString(8).padStart(11, "0") + "\0", 124, "latin1");
    h.write("0", 156, "latin1");
    h.write("ustar\0", 257, "latin1");
    const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
    body.copy(padded);
    return Buffer.concat([h, padded]);
  };
  const wasm = Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]);
  const tar = Buffer.concat([entry("/data.json", Buffer.from("{}")), entry("/policy.wasm", wasm), Buffer.alloc(1024)]);
  const got = extractFromTarGz(zlib.gzipSync(tar), "/policy.wasm");
  expect(got && Buffer.from(got)).toEqual(wasm);
  expect(extractFromTarGz(zlib.gzipSync(tar), "/nothing")).toBeNull();
});
