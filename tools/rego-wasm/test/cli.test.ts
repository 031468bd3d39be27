/** `rego-wasm` CLI: build (built-in engine), test, exit codes, and the opa engine's bundle extraction. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { main } from "../src/cli";
import { extractFromTarGz } from "../src/opa-engine";
import { captureOutput } from "./capture-output";

let dir: string;
let out: string[];
let err: string[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rego-wasm-cli-"));
  ({ out, err } = captureOutput());
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

describe("--engine auto with an `opa` on PATH", () => {
  let savedPath: string | undefined;
  beforeEach(() => {
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  test("delegates to `opa build -t wasm` and writes the bundle's policy.wasm", async () => {
    // A stand-in `opa` that records its arguments and bundles a prepared module the way `opa build` lays
    // it out (a tar.gz with /policy.wasm), so the test sees exactly what the real CLI would be asked.
    write("pol/authz.rego", POLICY);
    const prepared = path.join(dir, "prepared.wasm");
    expect(await main(["build", "--engine", "builtin", "-e", "app/authz/allow", "-o", prepared, path.join(dir, "pol")])).toBe(0);
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    const argsFile = path.join(dir, "opa-args.txt");
    fs.writeFileSync(
      path.join(bin, "opa"),
      [
        "#!/bin/sh",
        'if [ "$1" = version ]; then echo "Version: 1.0.0-fake"; exit 0; fi',
        `printf '%s\\n' "$@" > '${argsFile}'`,
        'while [ "$1" != "-o" ]; do shift; done; out="$2"',
        `stage=$(mktemp -d); mkdir -p "$stage/bundle"; cp '${prepared}' "$stage/bundle/policy.wasm"`,
        'tar -czf "$out" -C "$stage/bundle" policy.wasm && rm -rf "$stage"',
      ].join("\n") + "\n",
      { mode: 0o755 },
    );
    process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ""}`;
    const output = path.join(dir, "via-opa.wasm");
    const code = await main(["build", "-e", "app/authz/allow", "-o", output, path.join(dir, "pol")]);
    expect(err.join("")).toBe("");
    expect(code).toBe(0);
    expect(out.join("")).toMatch(/opa engine/);
    expect(fs.readFileSync(argsFile, "utf8").trim().split("\n").slice(0, 3)).toEqual(["build", "-t", "wasm"]);
    expect(fs.readFileSync(argsFile, "utf8")).toContain("-e\napp/authz/allow\n");
    expect(Buffer.compare(fs.readFileSync(output), fs.readFileSync(prepared))).toBe(0);
    const policy = await loadPolicy(fs.readFileSync(output));
    expect(policy.evaluate({ role: "admin" }, "app/authz/allow")).toEqual([{ result: true }]);
  });

  test("an `opa build` failure is reported with opa's message and exit 1", async () => {
    write("pol/authz.rego", POLICY);
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, "opa"),
      '#!/bin/sh\nif [ "$1" = version ]; then exit 0; fi\necho "1 error occurred: pol/authz.rego:4: rego_parse_error: boom" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ""}`;
    const code = await main(["build", "-e", "app/authz/allow", "-o", path.join(dir, "x.wasm"), path.join(dir, "pol")]);
    expect(code).not.toBe(0);
    expect(err.join("")).toContain("opa build failed: 1 error occurred: pol/authz.rego:4: rego_parse_error: boom");
    expect(fs.existsSync(path.join(dir, "x.wasm"))).toBe(false);
  });
});
