import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectCacheRoot } from "../config/cache-root";

/**
 * The real OPA command line, used to build policy modules (`opa build -t wasm`) where the committed modules do
 * not serve: the project's own rebuild, and custom policy folders that a platform team adds. Evaluating the
 * committed modules needs no `opa` (see gate.ts).
 */

/** The OPA version the project pins: the committed modules are built with it, scripts/ensure-opa.sh installs it. */
export const OPA_VERSION = "1.22.3";

/** Where scripts/ensure-opa.sh keeps the binary it builds: outside the clone, shared by every clone. */
export function opaCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(projectCacheRoot(env), `opa-v${OPA_VERSION}`, "opa");
}

/** Thrown when no OPA at the pinned version is installed. */
export class OpaMissingError extends Error {
  constructor(purpose: string) {
    super(
      `${purpose} needs OPA v${OPA_VERSION}, which is neither on PATH nor in ${path.dirname(opaCachePath())}.\n` +
        `Install it with \`scripts/ensure-opa.sh\` (builds it with Go into that cache), or put the v${OPA_VERSION} release binary ` +
        `on PATH (https://github.com/open-policy-agent/opa/releases), or in GitHub Actions use open-policy-agent/setup-opa with version ${OPA_VERSION}.`,
    );
    this.name = "OpaMissingError";
  }
}

/** Thrown when `opa` refuses the policies: its own message names the file and line. */
export class OpaBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpaBuildError";
  }
}

function versionOf(binary: string): string | null {
  const r = spawnSync(binary, ["version"], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) return null;
  return /^Version:\s*(\S+)/m.exec(r.stdout)?.[1] ?? null;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .filter((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** The `opa` binary at the pinned version (PATH first, then the project cache), or null. Never installs. */
export function findOpa(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const candidate of [...onPath("opa", env), opaCachePath(env)]) {
    if (versionOf(candidate) === OPA_VERSION) return candidate;
  }
  return null;
}

/** findOpa, or OpaMissingError naming what needed it. */
export function requireOpa(purpose: string, env: NodeJS.ProcessEnv = process.env): string {
  const opa = findOpa(env);
  if (!opa) throw new OpaMissingError(purpose);
  return opa;
}

export interface WasmBuild {
  /** Entrypoints, e.g. `backup_audit/config/violations`. */
  entrypoints: readonly string[];
  /** Rego folders or files; relative ones are resolved from `cwd` and recorded as given. */
  paths: readonly string[];
  cwd: string;
}

/**
 * `opa build -t wasm` of the given folders (test files ignored), returning the bundle's `/policy.wasm`.
 * The bundle is a tarball; the system `tar` extracts the one member needed.
 */
export function buildWasm(opa: string, build: WasmBuild): Uint8Array {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "opa-build-"));
  try {
    const bundle = path.join(tmp, "bundle.tar.gz");
    const args = ["build", "-t", "wasm", "--ignore", "*_test.rego", "-o", bundle];
    for (const e of build.entrypoints) args.push("-e", e);
    const r = spawnSync(opa, [...args, ...build.paths], { cwd: build.cwd, encoding: "utf8", timeout: 120_000 });
    if (r.status !== 0) {
      throw new OpaBuildError(`opa build -t wasm ${build.paths.join(" ")} failed:\n${(r.stderr || r.stdout || String(r.error)).trim()}`);
    }
    execFileSync("tar", ["-xzf", bundle, "-C", tmp, "/policy.wasm"], { stdio: ["ignore", "ignore", "pipe"] });
    return new Uint8Array(readFileSync(path.join(tmp, "policy.wasm")));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
