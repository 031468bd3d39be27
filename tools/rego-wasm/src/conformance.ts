/**
 * Runs OPA's YAML conformance cases (read at run time from `../shared/opa-conformance/`, never copied into the
 * project) through this compiler and the unmodified SDK, and classifies each case:
 * - passed: the expected result, or an expected error (compile-time codes: our compiler rejects the case;
 *   eval errors: the policy aborts with a matching message — `strict_error: true` cases are compiled with
 *   `strictBuiltinErrors`, so builtin errors abort as in OPA's strict mode; there is no lenient pass);
 * - unsupported: a query shape the harness cannot map to an entrypoint, an input the SDK cannot pass, or a
 *   RegoCompileError for a construct outside the supported subset in a case that expects a result;
 * - failed: everything else (wrong result, unexpected error, crash, missing expected error).
 *
 * CLI: `node dist/tools/rego-wasm/src/conformance.js [folder] [-v]`; exits 1 when any case failed.
 */

import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { RegoCompileError, Term } from "./ast";
import { parseBody } from "./parser";
import { compileRego } from "./index";
import { errorMessage, evaluate, loadCompiled } from "./sdk";

export type CaseOutcome = "passed" | "failed" | "unsupported";

export interface CaseResult {
  file: string;
  /** Directory of the YAML file relative to the suite folder, e.g. "v1/aggregates". */
  dir: string;
  note: string;
  outcome: CaseOutcome;
  /** One line explaining a failure or why the case is unsupported. */
  reason?: string;
}

export interface ConformanceReport {
  passed: number;
  failed: number;
  unsupported: number;
  cases: CaseResult[];
  /** Per directory counts, in directory order. */
  dirs: Array<{ dir: string; passed: number; failed: number; unsupported: number }>;
}

/** Shape of one YAML case (only the fields the harness reads). */
export interface YamlCase {
  note?: string;
  query?: string;
  modules?: string[];
  data?: unknown;
  input?: unknown;
  input_term?: string;
  want_result?: Array<Record<string, unknown>>;
  want_error?: string;
  want_error_code?: string;
  want_defined?: boolean;
  sort_bindings?: boolean;
  strict_error?: boolean;
}

/** Repository root: the nearest ancestor of this file holding package.json (works from src and dist). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export function defaultSuiteFolder(): string {
  return path.resolve(repoRoot(), "../shared/opa-conformance");
}

/** Every `.yaml`/`.yml` file under `folder`, sorted. */
export function suiteFiles(folder: string): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    for (const name of fs.readdirSync(p).sort()) {
      const full = path.join(p, name);
      if (fs.statSync(full).isDirectory()) visit(full);
      else if (/\.ya?ml$/.test(name)) out.push(full);
    }
  };
  visit(folder);
  return out;
}

/** One case of the suite with the file it comes from and that file's folder relative to the suite root. */
export interface SuiteCase {
  file: string;
  dir: string;
  case: YamlCase;
}

/** Every case of every suite file under `folder`, in file order. */
export function suiteCases(folder: string): SuiteCase[] {
  const out: SuiteCase[] = [];
  for (const file of suiteFiles(folder)) {
    const dir = path.relative(folder, path.dirname(file)) || ".";
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { cases?: YamlCase[] } | null;
    for (const c of doc?.cases ?? []) out.push({ file, dir, case: c });
  }
  return out;
}

export interface ConformanceOptions {
  /** Only cases whose note contains this text. */
  filter?: string;
}

export async function runConformance(folder: string, opts: ConformanceOptions = {}): Promise<ConformanceReport> {
  const report: ConformanceReport = { passed: 0, failed: 0, unsupported: 0, cases: [], dirs: [] };
  const dirIndex = new Map<string, { dir: string; passed: number; failed: number; unsupported: number }>();
  for (const { file, dir, case: c } of suiteCases(folder)) {
    const note = c.note ?? "(no note)";
    if (opts.filter && !note.includes(opts.filter)) continue;
    const r = await runCase(c);
    const result: CaseResult = { file, dir, note, outcome: r.outcome, reason: r.reason };
    report.cases.push(result);
    report[r.outcome]++;
    let d = dirIndex.get(dir);
    if (!d) {
      d = { dir, passed: 0, failed: 0, unsupported: 0 };
      dirIndex.set(dir, d);
      report.dirs.push(d);
    }
    d[r.outcome]++;
  }
  return report;
}

interface Outcome {
  outcome: CaseOutcome;
  reason?: string;
}

const UNSUPPORTED_RE = /not supported|unsupported|not implemented/i;

/** Runs one case. Exported for focused tests. */
export async function runCase(c: YamlCase): Promise<Outcome> {
  let input: unknown = c.input;
  let inputTerm: string | undefined;
  if (c.input_term !== undefined) {
    const converted = termToJson(c.input_term);
    // Terms JSON cannot carry (sets) reach the query through `with input as <term>` in the wrapper.
    if (converted.ok) input = converted.value;
    else inputTerm = c.input_term;
  }
  // The SDK's fast path treats falsy inputs (false, 0, "", null) as absent (see rego-wasm-notes.md).
  if (input !== undefined && !input && inputTerm === undefined) {
    inputTerm = JSON.stringify(input);
    input = undefined;
  }
  const query = (inputTerm === undefined ? mapQuery(c.query ?? "") : null) ?? wrapQuery(c.query ?? "", inputTerm);
  if (!query) return { outcome: "unsupported", reason: `query shape: ${c.query}` };
  const wantsError = c.want_error !== undefined || c.want_error_code !== undefined;
  const compileErrorWanted = wantsError && !/^eval_/.test(c.want_error_code ?? "") && isCompileErrorText(c);
  const modules: Record<string, string> = {};
  (c.modules ?? []).forEach((m, i) => (modules[`test-${i}.rego`] = m));
  if (query.wrapper) modules["query.rego"] = query.wrapper;
  let wasm: Uint8Array;
  try {
    // `strict_error: true` cases are OPA's tests of strict-builtin-errors: compiled the same way here.
    wasm = (await compileRego(modules, { entrypoints: [query.entrypoint], strictBuiltinErrors: c.strict_error === true })).wasm;
  } catch (e) {
    const msg = errorMessage(e);
    if (e instanceof RegoCompileError) {
      if (compileErrorWanted) return { outcome: "passed" };
      if (UNSUPPORTED_RE.test(msg)) return { outcome: "unsupported", reason: firstLine(msg) };
      return { outcome: "failed", reason: `compile error: ${firstLine(msg)}` };
    }
    return { outcome: "failed", reason: `compiler crash: ${firstLine(msg)}` };
  }
  if (compileErrorWanted) return { outcome: "failed", reason: `expected compile error ${c.want_error_code ?? c.want_error}` };
  let ev;
  try {
    const policy = await loadCompiled(wasm);
    ev = evaluate(policy, query.entrypoint, input, c.data ?? {});
  } catch (e) {
    const msg = errorMessage(e);
    if (wantsError) {
      if (errorMatches(c, msg)) return { outcome: "passed" };
      return { outcome: "failed", reason: `error ${JSON.stringify(firstLine(msg))}, want ${c.want_error ?? c.want_error_code}` };
    }
    return { outcome: "failed", reason: `unexpected error: ${firstLine(msg)}` };
  }
  if (wantsError) {
    // No leniency: a case that wants an evaluation error passes only when the policy aborts with it. A case
    // listing both `want_error` and `want_result` (baseandvirtualdocs/enumerate virtual errors) is a
    // `strict_error` case: OPA raises the error in strict mode, so the error is what must come out here.
    return { outcome: "failed", reason: `expected error ${c.want_error ?? c.want_error_code}, got ${show(ev)}` };
  }
  if (c.want_defined !== undefined) {
    const defined = query.wrapper ? Array.isArray(ev.value) && ev.value.length > 0 : ev.defined;
    return defined === c.want_defined
      ? { outcome: "passed" }
      : { outcome: "failed", reason: `want defined=${c.want_defined}, got ${show(ev)}` };
  }
  const want = c.want_result;
  if (!Array.isArray(want)) return { outcome: "unsupported", reason: "case has no want_result" };
  if (query.wrapper) {
    // The wrapper rule collects the set of binding objects; compare with want_result as an unordered list.
    const got = Array.isArray(ev.value) ? ev.value : [];
    const ok = ev.defined && got.length === want.length && want.every((w) => got.some((g) => valuesEqual(g, w)));
    return ok ? { outcome: "passed" } : { outcome: "failed", reason: `bindings ${show(ev)}, want ${JSON.stringify(want)}` };
  }
  if (query.constant !== undefined || query.matchInput) {
    // `data.a.b = <constant>`: the query is defined (one empty binding) only when the value matches.
    const target = query.matchInput ? input : query.constant;
    const defined = ev.defined && valuesEqual(ev.value, target);
    if (want.length === 0) return defined ? { outcome: "failed", reason: `query defined with ${show(ev)}, want undefined` } : { outcome: "passed" };
    return defined ? { outcome: "passed" } : { outcome: "failed", reason: `got ${show(ev)}, query wants ${JSON.stringify(target)}` };
  }
  if (want.length === 0) {
    return ev.defined ? { outcome: "failed", reason: `want undefined, got ${show(ev)}` } : { outcome: "passed" };
  }
  if (want.length > 1) return { outcome: "unsupported", reason: "several result bindings" };
  if (!ev.defined) return { outcome: "failed", reason: `undefined, want ${JSON.stringify(expected(want[0], query))}` };
  const w = expected(want[0], query);
  return valuesEqual(ev.value, w)
    ? { outcome: "passed" }
    : { outcome: "failed", reason: `got ${show(ev)}, want ${JSON.stringify(w)}` };
}

interface MappedQuery {
  entrypoint: string;
  /** The binding name for `data.a.b = x`. */
  variable?: string;
  /** The expected constant for `data.a.b = 1`. */
  constant?: unknown;
  /** `data.a.b = input`: compare with the case's input. */
  matchInput?: boolean;
  /** For other query shapes: a module whose `bindings` set rule collects the query's binding objects. */
  wrapper?: string;
}

export const WRAPPER_PACKAGE = "conformance_query";

/**
 * Any other query (`data.p.f(1) = x`, `data.x.p[k] = v`, `1 / 0`) runs as the body of a partial set rule
 * `bindings contains {"k": k, "v": v} if { <query> }` in an extra module, so one entrypoint yields every
 * binding of the query's variables.
 */
export function wrapQuery(query: string, inputTerm?: string): MappedQuery | null {
  let body;
  try {
    body = parseBody("<query>", query);
  } catch {
    return null;
  }
  if (body.length === 0) return null;
  const vars = new Set<string>();
  const visit = (t: Term): void => {
    switch (t.type) {
      case "var":
        if (!t.name.startsWith("$") && t.name !== "input" && t.name !== "data") vars.add(t.name);
        break;
      case "ref":
        visit(t.head);
        t.path.forEach(visit);
        break;
      case "array":
      case "set":
        t.items.forEach(visit);
        break;
      case "object":
        t.entries.forEach(([k, v]) => {
          visit(k);
          visit(v);
        });
        break;
      case "call":
        t.args.forEach(visit);
        break;
      default:
        break;
    }
  };
  for (const e of body) {
    const k = e.kind;
    if (k.type === "term") visit(k.term);
    else if (k.type === "unify" || k.type === "assign") {
      visit(k.left);
      visit(k.right);
    } else return null;
  }
  const binding = `{${[...vars].sort().map((v) => `${JSON.stringify(v)}: ${v}`).join(", ")}}`;
  if (inputTerm !== undefined) {
    const wrapper =
      `package ${WRAPPER_PACKAGE}\n\ninput_value := ${inputTerm}\n\nresults contains ${binding} if {\n${query}\n}\n\n` +
      `bindings := r if {\n  r := results with input as input_value\n}\n`;
    return { entrypoint: `${WRAPPER_PACKAGE}/bindings`, wrapper };
  }
  const wrapper = `package ${WRAPPER_PACKAGE}\n\nbindings contains ${binding} if {\n${query}\n}\n`;
  return { entrypoint: `${WRAPPER_PACKAGE}/bindings`, wrapper };
}

/** `data.a.b = x` → entrypoint `a/b` bound to x; `data.a.b = <constant>`; anything else → null. */
export function mapQuery(query: string): MappedQuery | null {
  let body;
  try {
    body = parseBody("<query>", query);
  } catch {
    return null;
  }
  if (body.length !== 1 || body[0].negated || body[0].with.length > 0) return null;
  const k = body[0].kind;
  if (k.type !== "unify") return null;
  const ref = k.left;
  if (ref.type !== "ref" || ref.head.type !== "var" || ref.head.name !== "data") return null;
  if (ref.path.length === 0 || !ref.path.every((p) => p.type === "string")) return null;
  const entrypoint = ref.path.map((p) => (p as { value: string }).value).join("/");
  if (k.right.type === "var" && k.right.name === "input") return { entrypoint, matchInput: true };
  if (k.right.type === "var" && !k.right.name.startsWith("$")) return { entrypoint, variable: k.right.name };
  const c = groundToJson(k.right);
  if (c.ok) return { entrypoint, constant: c.value };
  return null;
}

function expected(binding: Record<string, unknown>, q: MappedQuery): unknown {
  return q.variable !== undefined ? binding[q.variable] : undefined;
}

/** A Rego term literal (`input_term`) as JSON; sets and non-ground terms are not representable (null). */
function termToJson(src: string): { ok: boolean; value?: unknown } {
  try {
    const body = parseBody("<input_term>", src);
    if (body.length !== 1 || body[0].kind.type !== "term") return { ok: false };
    return groundToJson(body[0].kind.term);
  } catch {
    return { ok: false };
  }
}

function groundToJson(t: Term): { ok: boolean; value?: unknown } {
  switch (t.type) {
    case "null":
      return { ok: true, value: null };
    case "boolean":
      return { ok: true, value: t.value };
    case "number":
      return { ok: true, value: Number(t.raw) };
    case "string":
      return { ok: true, value: t.value };
    case "array": {
      const items = t.items.map(groundToJson);
      return items.every((i) => i.ok) ? { ok: true, value: items.map((i) => i.value) } : { ok: false };
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of t.entries) {
        if (k.type !== "string") return { ok: false };
        const vv = groundToJson(v);
        if (!vv.ok) return { ok: false };
        out[k.value] = vv.value;
      }
      return { ok: true, value: out };
    }
    default:
      return { ok: false };
  }
}

/** Deep equality with numbers compared numerically (1 == 1.0) and object keys unordered. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") return typeof a === typeof b && Number(a) === Number(b);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && valuesEqual(ao[k], bo[k]));
}

function isCompileErrorText(c: YamlCase): boolean {
  if (c.want_error_code) return /^rego_/.test(c.want_error_code);
  return /rego_(parse|compile|type|unsafe_var|recursion)_error/.test(c.want_error ?? "");
}

/**
 * OPA's Go evaluator and its Wasm policies word conflict errors differently (`rule data.p produced
 * conflicting values` vs `complete rules must not produce multiple outputs`); both sides are reduced to an
 * error family before comparing. Builtin and type errors (`eval_builtin_error`, `eval_type_error`, raised in
 * strict mode) must carry OPA's code and contain the expected text; other messages must contain the expected
 * text (or the text without OPA's `code:` prefix).
 */
function errorMatches(c: YamlCase, msg: string): boolean {
  const want = c.want_error;
  const code = c.want_error_code ?? /(?:^|: )(eval_[a-z_]+_error): /.exec(want ?? "")?.[1];
  if (code !== undefined && /^eval_(builtin|type)_error$/.test(code) && !msg.includes(`${code}: `)) return false;
  if (want === undefined) {
    const fam = family(msg);
    if (c.want_error_code === "eval_conflict_error") return fam !== null;
    return true;
  }
  const wantFam = family(want);
  if (wantFam) return family(msg) === wantFam;
  // OPA's want_error may start with the location of the failing expression (`test-0.rego:4: eval_type_error:
  // strings.any_prefix_match: …`); Wasm aborts carry no location, so only the part after it is compared.
  const withoutLocation = want.replace(/^[^\s:]+:\d+(:\d+)?: /, "");
  const withoutCode = withoutLocation.replace(/^[a-z_]+: /, "");
  return msg.includes(withoutLocation) || msg.includes(withoutCode);
}

function family(msg: string): "rule" | "function" | "object" | null {
  if (/functions must not produce multiple outputs|function .* produced conflicting values/.test(msg)) return "function";
  if (/complete rules must not produce multiple outputs|rule .* produced conflicting values/.test(msg)) return "rule";
  if (/object keys must be unique/.test(msg)) return "object";
  return null;
}

function show(ev: { defined: boolean; value: unknown }): string {
  return ev.defined ? JSON.stringify(ev.value) : "undefined";
}

function firstLine(s: string): string {
  return s.split("\n")[0];
}

/** Prints the report: per-directory counts, failed notes with reasons, and the closing line. */
export function formatReport(report: ConformanceReport, verbose: boolean): string[] {
  const lines: string[] = [];
  for (const d of report.dirs) lines.push(`${d.dir}: ${d.passed} passed, ${d.failed} failed, ${d.unsupported} unsupported`);
  for (const c of report.cases) {
    if (c.outcome === "failed") lines.push(`FAILED ${c.note} (${c.file}): ${c.reason}`);
    else if (c.outcome === "unsupported" && verbose) lines.push(`UNSUPPORTED ${c.note}: ${c.reason}`);
    else if (c.outcome === "passed" && c.reason && verbose) lines.push(`PASSED ${c.note}: ${c.reason}`);
  }
  lines.push(`conformance: ${report.passed} passed, ${report.failed} failed, ${report.unsupported} unsupported`);
  return lines;
}

export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes("-v") || argv.includes("--verbose");
  const filterIdx = argv.indexOf("--filter");
  const filter = filterIdx >= 0 ? argv[filterIdx + 1] : undefined;
  const positional = argv.filter((a, i) => !a.startsWith("-") && (filterIdx < 0 || i !== filterIdx + 1));
  const folder = positional[0] ? path.resolve(positional[0]) : defaultSuiteFolder();
  if (!fs.existsSync(folder)) {
    // The shared suite is optional beside a clone; a folder the user named is not.
    if (positional[0]) {
      process.stderr.write(`conformance: suite folder ${folder} not found\n`);
      return 2;
    }
    process.stdout.write(`conformance: suite folder ${folder} not found, skipping\n`);
    return 0;
  }
  const report = await runConformance(folder, { filter });
  for (const line of formatReport(report, verbose)) process.stdout.write(`${line}\n`);
  return report.failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`conformance: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(2);
    },
  );
}
