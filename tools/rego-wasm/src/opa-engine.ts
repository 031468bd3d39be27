/**
 * The `opa` engine for `rego-wasm build`: where the real `opa` CLI is on PATH, `opa build -t wasm` produces the
 * module and `/policy.wasm` is taken out of the bundle (a gzipped tar), so both engines produce the same kind
 * of file.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";

/** True when an `opa` executable answers `opa version`. */
export function opaAvailable(): boolean {
  try {
    // env passed explicitly: the PATH this process sees now (tests and callers may change it) decides.
    const r = spawnSync("opa", ["version"], { stdio: "ignore", timeout: 10_000, env: process.env });
    return r.status === 0;
  } catch {
    return false;
  }
}

/** Runs `opa build -t wasm` and returns the bundle's policy.wasm. Throws with opa's stderr on failure. */
export function buildWithOpa(entrypoints: string[], inputs: string[]): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rego-wasm-opa-"));
  const bundle = path.join(dir, "bundle.tar.gz");
  try {
    const args = ["build", "-t", "wasm", "-o", bundle];
    for (const e of entrypoints) args.push("-e", e);
    args.push(...inputs);
    try {
      execFileSync("opa", args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      throw new Error(`opa build failed: ${err.stderr?.toString().trim() || err.message}`);
    }
    const wasm = extractFromTarGz(fs.readFileSync(bundle), "policy.wasm");
    if (!wasm) throw new Error("opa build produced a bundle without /policy.wasm");
    return wasm;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Finds one regular file in a tar.gz by name (leading "/" or "./" ignored). Only the ustar basics opa
 * writes are handled: 512-byte headers, octal sizes, the ustar name prefix.
 */
export function extractFromTarGz(gz: Uint8Array, wanted: string): Uint8Array | null {
  const tar = zlib.gunzipSync(gz);
  const norm = (n: string): string => n.replace(/^\.?\//, "");
  const target = norm(wanted);
  let off = 0;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number): string =>
      header.subarray(start, start + len).toString("latin1").replace(/\0.*$/s, "");
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const full = norm(prefix ? `${prefix}/${name}` : name);
    const dataStart = off + 512;
    if ((type === "0" || type === "") && full === target) {
      return new Uint8Array(tar.subarray(dataStart, dataStart + size));
    }
    off = dataStart + Math.ceil(size / 512) * 512;
  }
  return null;
}
