/**
 * `rego-wasm` command line:
 *   rego-wasm build -e <pkg/rule>... -o <out.wasm> [--engine opa|builtin|auto] [--strict-builtin-errors] <files or folders>
 *   rego-wasm test [-v] [--strict-builtin-errors] <folders>
 * Exit codes: 0 ok, 1 compile errors / failing tests, 2 usage or unreadable input.
 */
import * as fs from "fs";
import * as path from "path";
import { compileRego, RegoCompileError } from "./index";
import { buildWithOpa, opaAvailable } from "./opa-engine";
import { runTests, summaryLine } from "./tester";

class UsageError extends Error {}

const USAGE = `usage:
  rego-wasm build -e <pkg/rule> [-e ...] -o <out.wasm> [--engine opa|builtin|auto] [--strict-builtin-errors]
                  <files or folders>
  rego-wasm test [-v] [--strict-builtin-errors] <files or folders>`;

/** Collects .rego files (folders recursively, sorted for reproducible output). */
export function collectRegoFiles(inputs: string[]): string[] {
  const out: string[] = [];
  const visit = (p: string, explicit: boolean): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new UsageError(`cannot read ${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name), false);
    } else if (explicit || p.endsWith(".rego")) {
      out.push(p);
    }
  };
  for (const i of inputs) visit(i, true);
  return out;
}

function readSources(files: string[]): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const f of files) {
    try {
      modules[f] = fs.readFileSync(f, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read ${f}: ${(e as Error).message}`);
    }
  }
  return modules;
}

interface BuildArgs {
  entrypoints: string[];
  output: string;
  engine: "opa" | "builtin" | "auto";
  strictBuiltinErrors: boolean;
  inputs: string[];
}

function parseBuildArgs(argv: string[]): BuildArgs {
  const args: BuildArgs = { entrypoints: [], output: "", engine: "auto", strictBuiltinErrors: false, inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "-e" || a === "--entrypoint") args.entrypoints.push(value());
    else if (a === "-o" || a === "--output") args.output = value();
    else if (a === "--engine") {
      const v = value();
      if (v !== "opa" && v !== "builtin" && v !== "auto") throw new UsageError(`--engine must be opa, builtin or auto`);
      args.engine = v;
    } else if (a === "--strict-builtin-errors") args.strictBuiltinErrors = true;
    else if (a === "-t" || a === "--target") {
      if (value() !== "wasm") throw new UsageError("only -t wasm is supported");
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else args.inputs.push(a);
  }
  if (args.entrypoints.length === 0) throw new UsageError("build: at least one -e <pkg/rule> is required");
  if (!args.output) throw new UsageError("build: -o <out.wasm> is required");
  if (args.inputs.length === 0) throw new UsageError("build: no input files or folders");
  return args;
}

async function build(argv: string[]): Promise<number> {
  const args = parseBuildArgs(argv);
  const files = collectRegoFiles(args.inputs);
  if (files.length === 0) throw new UsageError(`no .rego files in ${args.inputs.join(", ")}`);
  // `opa build -t wasm` has no strict-builtin-errors option (its Wasm builtins never raise): `auto` then picks
  // the built-in compiler, and `--engine opa` is a usage error.
  const useOpa = args.engine === "opa" || (args.engine === "auto" && !args.strictBuiltinErrors && opaAvailable());
  let wasm: Uint8Array;
  if (useOpa) {
    if (args.strictBuiltinErrors) throw new UsageError("--strict-builtin-errors is not available with --engine opa");
    if (args.engine === "opa" && !opaAvailable()) throw new UsageError("--engine opa: `opa` is not on PATH");
    wasm = buildWithOpa(args.entrypoints, args.inputs);
  } else {
    const options = { entrypoints: args.entrypoints, strictBuiltinErrors: args.strictBuiltinErrors };
    wasm = (await compileRego(readSources(files), options)).wasm;
  }
  fs.mkdirSync(path.dirname(path.resolve(args.output)), { recursive: true });
  fs.writeFileSync(args.output, wasm);
  process.stdout.write(`wrote ${args.output} (${wasm.length} bytes, ${useOpa ? "opa" : "built-in"} engine, ${files.length} files)\n`);
  return 0;
}

async function test(argv: string[]): Promise<number> {
  let verbose = false;
  let strictBuiltinErrors = false;
  const inputs: string[] = [];
  for (const a of argv) {
    if (a === "-v" || a === "--verbose") verbose = true;
    else if (a === "--strict-builtin-errors") strictBuiltinErrors = true;
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else inputs.push(a);
  }
  if (inputs.length === 0) throw new UsageError("test: no input folders");
  const files = collectRegoFiles(inputs);
  const modules = readSources(files);
  const report = await runTests(modules, { verbose, strictBuiltinErrors });
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  process.stdout.write(`${summaryLine(report)}\n`);
  return report.failed > 0 ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "build") return await build(rest);
    if (command === "test") return await test(rest);
    if (command === "-h" || command === "--help" || command === "help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    throw new UsageError(command ? `unknown command ${command}` : "missing command");
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`rego-wasm: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof RegoCompileError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    process.stderr.write(`rego-wasm: ${(e as Error).message}\n`);
    return 1;
  }
}
