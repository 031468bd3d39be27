/**
 * Semantic analysis: turns parsed modules into a `Program` (see program.ts for the guarantees).
 * Steps: group rules by path and check kinds; resolve names (locals, rule names, imports, builtins, user
 * functions); rewrite output-argument calls; check declarations; reorder bodies for safety and record which
 * vars each expression binds; validate `with` targets; reject recursion.
 */

import {
  Expr,
  ExprKind,
  Location,
  Module,
  RegoCompileError,
  Rule,
  RuleElse,
  Term,
  WithModifier,
} from "./ast";
import { BUILTINS, DEPRECATED_BUILTINS } from "./analyze-builtins";
import { checkRecursion } from "./analyze-recursion";
import { analyzeClosures, needsOfIn, orderBody } from "./analyze-safety";
import {
  describeTerm,
  display,
  exprTerms,
  exprTermsDeep,
  findVarLoc,
  forEachClosure,
  isGround,
  patternVarNames,
  termVarNames,
} from "./analyze-terms";
import { AnalyzedRule, Program, RuleGroup } from "./program";

/** A lexical scope: source var name → unique local name. */
interface Scope {
  names: Map<string, string>;
  parent: Scope | null;
  /**
   * Declared names (`some`, `:=`, `some ... in`) become visible from their declaring expression onwards, as in
   * OPA: a comprehension written before `x := ...` has its own `x`. name → [expression index, unique name].
   */
  pending?: Map<string, [number, string]>;
}

interface ModuleEnv {
  module: Module;
  /** Bare names resolvable to absolute refs (rule names of the package, import aliases). */
  globals: Map<string, string[]>;
}

/** Per-rule state: unique local names across all scopes of the rule. */
interface RuleCtx {
  env: ModuleEnv;
  used: Set<string>;
  /** Locals owned by each closure (comprehension head term or every expression), transitively. */
  owned: WeakMap<object, Set<string>>;
}

export function analyze(modules: Module[]): Program {
  const program: Program = { rules: new Map(), packages: new Set() };
  // 1. Groups.
  const sources: Array<{ rule: Rule; env: ModuleEnv; group: RuleGroup }> = [];
  const envs: ModuleEnv[] = [];
  for (const module of modules) {
    program.packages.add(module.package.join("."));
    const env: ModuleEnv = { module, globals: new Map() };
    envs.push(env);
    for (const rule of module.rules) {
      const full = [...module.package, ...rule.path];
      const key = full.join(".");
      let group = program.rules.get(key);
      const arity = rule.kind === "function" ? rule.args!.length : null;
      if (!group) {
        group = { path: full, key, kind: rule.kind, arity, rules: [], defaultRule: null };
        program.rules.set(key, group);
      } else if (group.kind !== rule.kind) {
        throw new RegoCompileError(rule.loc, `rego_type_error: conflicting rules data.${key} found (${group.kind} and ${rule.kind})`);
      } else if (group.arity !== arity) {
        throw new RegoCompileError(rule.loc, `rego_type_error: conflicting definitions of function data.${key} (arity ${group.arity} and ${arity})`);
      }
      sources.push({ rule, env, group });
    }
  }
  // Paths that are strict prefixes of other rule paths conflict (a value and a document below it).
  for (const g of program.rules.values()) {
    for (let n = 1; n < g.path.length; n++) {
      const other = program.rules.get(g.path.slice(0, n).join("."));
      if (other) {
        const loc = sources.find((s) => s.group === g)!.rule.loc;
        throw new RegoCompileError(loc, `rego_type_error: rule data.${g.key} conflicts with rule data.${other.key}`);
      }
    }
  }
  // 2. Module environments.
  // A package spans files: every rule of the package is in scope unqualified in each of its modules.
  const packageRules = new Map<string, Set<string>>();
  for (const env of envs) {
    const key = env.module.package.join(".");
    let names = packageRules.get(key);
    if (!names) packageRules.set(key, (names = new Set()));
    for (const rule of env.module.rules) names.add(rule.path[0]);
  }
  for (const env of envs) {
    const pkg = env.module.package;
    const own = packageRules.get(pkg.join("."))!;
    for (const name of own) env.globals.set(name, ["data", ...pkg, name]);
    const imported = new Map<string, string>();
    for (const imp of env.module.imports) {
      if (imp.path[0] !== "data" && imp.path[0] !== "input") continue;
      if (imp.path.length === 1 && imp.alias === null) continue;
      const name = imp.alias ?? imp.path[imp.path.length - 1];
      if (imported.has(name)) {
        throw new RegoCompileError(imp.loc, `rego_compile_error: import ${name} must not shadow import ${imported.get(name)}`);
      }
      imported.set(name, imp.path.join("."));
      if (own.has(name)) {
        throw new RegoCompileError(imp.loc, `rego_compile_error: import ${name} conflicts with rule ${name}`);
      }
      env.globals.set(name, imp.path);
    }
  }
  // 3. Rules.
  for (const { rule, env, group } of sources) {
    const analysed = analyzeRule(rule, env, program);
    if (rule.default) {
      if (group.defaultRule) throw new RegoCompileError(rule.loc, `rego_type_error: multiple default rules data.${group.key} found`);
      group.defaultRule = analysed;
    } else {
      group.rules.push(analysed);
    }
  }
  checkRecursion(program);
  return program;
}

// ---------------------------------------------------------------------------------------------------------
// Rules

function analyzeRule(rule: Rule, env: ModuleEnv, program: Program): AnalyzedRule {
  const ctx: RuleCtx = { env, used: new Set(), owned: new WeakMap() };
  const argScope: Scope = { names: new Map(), parent: null };
  const argBinds: string[] = [];
  let args: Term[] | null = null;
  if (rule.args) {
    for (const a of rule.args) {
      for (const v of patternVarNames(a)) {
        if (!argScope.names.has(v)) {
          const u = fresh(ctx, v);
          argScope.names.set(v, u);
          argBinds.push(u);
        }
      }
    }
    args = rule.args.map((a) => resolveTerm(a, argScope, ctx, program));
  }
  const safe0 = new Set(argBinds);
  const main = analyzeBodyWithHead(rule.body, rule.loc, argScope, ctx, program, safe0,
    [rule.key, rule.value]);
  const elseChain: RuleElse[] = rule.elseChain.map((e) => {
    const r = analyzeBodyWithHead(e.body, e.loc, argScope, ctx, program, safe0, [e.value]);
    return { value: r.heads[0], body: r.body, loc: e.loc };
  });
  return {
    kind: rule.kind,
    default: rule.default,
    path: rule.path,
    args,
    key: main.heads[0],
    value: main.heads[1],
    body: main.body,
    elseChain,
    loc: rule.loc,
    argBinds,
  };
}

/** Analyses a body and head terms that must be safe after it. */
function analyzeBodyWithHead(
  body: Expr[],
  loc: Location,
  parent: Scope,
  ctx: RuleCtx,
  program: Program,
  safe: Set<string>,
  heads: Array<Term | null>,
): { body: Expr[]; heads: Array<Term | null> } {
  const scope = openScope(body, heads.filter((h): h is Term => h !== null), parent, ctx, []);
  const resolved = resolveBody(body, scope, ctx, program);
  const resolvedHeads = heads.map((h) => (h ? resolveTerm(h, scope, ctx, program) : null));
  const { ordered, safeAfter } = orderBody(resolved, safe, ctx, loc);
  for (const h of resolvedHeads) {
    if (!h) continue;
    for (const v of needsOfIn(h, ctx)) {
      if (!safeAfter.has(v)) throw new RegoCompileError(findVarLoc(h, v) ?? h.loc, `rego_unsafe_var_error: var ${display(v)} is unsafe`);
    }
    analyzeClosures(h, safeAfter, ctx);
  }
  return { body: ordered, heads: resolvedHeads };
}

// ---------------------------------------------------------------------------------------------------------
// Scopes and name resolution

function fresh(ctx: RuleCtx, name: string): string {
  let u = name;
  for (let k = 1; ctx.used.has(u); k++) u = `${name}$${k}`;
  ctx.used.add(u);
  return u;
}

function lookup(scope: Scope | null, name: string): string | undefined {
  for (let s = scope; s; s = s.parent) {
    const u = s.names.get(name);
    if (u !== undefined) return u;
  }
  return undefined;
}

/**
 * Opens the scope of a body: declared names (`some`, `:=`, `some ... in`) and implicit vars (any other
 * non-global name occurring in the body outside nested closures) become locals of this scope, unless an
 * enclosing scope already has them. `extra` are terms evaluated in this scope (rule heads, comprehension
 * heads); `declared` are names declared up-front (every's key/value).
 */
function openScope(body: Expr[], extra: Term[], parent: Scope, ctx: RuleCtx, declared: string[]): Scope {
  const pending = new Map<string, [number, string]>();
  const scope: Scope = { names: new Map(), parent, pending };
  for (const d of declared) scope.names.set(d, fresh(ctx, d));
  const seen = new Set<string>();
  for (const [index, e] of body.entries()) {
    const k = e.kind;
    const decl = (names: string[], assign: boolean, loc: Location): void => {
      for (const n of names) {
        if (n === "input" || n === "data") {
          throw new RegoCompileError(loc, `rego_compile_error: cannot assign to ${n}`);
        }
        if (assign && (scope.names.has(n) || pending.has(n) || (lookup(parent, n) !== undefined && isArgScope(parent, n)))) {
          throw new RegoCompileError(loc, `rego_compile_error: var ${n} assigned above`);
        }
        if (assign && seen.has(n) && !n.startsWith("$")) throw new RegoCompileError(loc, `rego_compile_error: var ${n} referenced above`);
        if (!scope.names.has(n) && !pending.has(n)) pending.set(n, [index, fresh(ctx, n)]);
      }
    };
    if (k.type === "some-decl") decl(k.vars, false, e.loc);
    else if (k.type === "assign") {
      if (!isAssignable(k.left)) throw new RegoCompileError(e.loc, "rego_compile_error: cannot assign to " + describeTerm(k.left));
      decl(patternVarNames(k.left), true, e.loc);
    } else if (k.type === "some-in") {
      decl([...(k.key ? patternVarNames(k.key) : []), ...patternVarNames(k.value)], false, e.loc);
    }
    for (const n of shallowVarNames(e)) seen.add(n);
  }
  const implicit = (n: string): void => {
    if (n === "input" || n === "data") return;
    if (scope.names.has(n) || pending.has(n) || lookup(parent, n) !== undefined) return;
    if (!n.startsWith("$") && ctx.env.globals.has(n)) return;
    scope.names.set(n, fresh(ctx, n));
  };
  for (const e of body) for (const n of shallowVarNames(e)) implicit(n);
  for (const t of extra) for (const n of termVarNames(t, false)) implicit(n);
  return scope;
}

/** True when `n` is declared in the outermost (function argument) scope. */
/** Resolves a body in order, making declared names visible from their declaring expression on. */
function resolveBody(body: Expr[], scope: Scope, ctx: RuleCtx, program: Program): Expr[] {
  const out: Expr[] = [];
  body.forEach((e, i) => {
    activate(scope, i);
    out.push(...resolveExpr(e, scope, ctx, program));
  });
  activate(scope, Infinity);
  checkDeclaredUsed(body, scope, out);
  return out;
}

/** OPA rejects `some x` when x occurs nowhere else in the body ("declared var x unused"). */
function checkDeclaredUsed(body: Expr[], scope: Scope, resolved: Expr[]): void {
  const decls = body.filter((e) => e.kind.type === "some-decl");
  if (decls.length === 0) return;
  const used = new Set<string>();
  for (const e of resolved) for (const t of exprTermsDeep(e)) for (const n of termVarNames(t, true)) used.add(n);
  for (const e of decls) {
    if (e.kind.type !== "some-decl") continue;
    for (const v of e.kind.vars) {
      const u = scope.names.get(v);
      if (u !== undefined && !used.has(u)) {
        throw new RegoCompileError(e.loc, `rego_compile_error: declared var ${v} unused`);
      }
    }
  }
}

function activate(scope: Scope, upTo: number): void {
  if (!scope.pending) return;
  for (const [n, [i, u]] of scope.pending) {
    if (i <= upTo) {
      scope.names.set(n, u);
      scope.pending.delete(n);
    }
  }
}

function isArgScope(scope: Scope, n: string): boolean {
  let s: Scope = scope;
  while (s.parent) {
    if (s.names.has(n)) return false;
    s = s.parent;
  }
  return s.names.has(n);
}

function isAssignable(t: Term): boolean {
  switch (t.type) {
    case "var":
      return true;
    case "array":
      return t.items.every((i) => isAssignable(i) || isGround(i));
    case "object":
      return t.entries.every(([k, v]) => isGround(k) && (isAssignable(v) || isGround(v)));
    default:
      return false;
  }
}

/** Var names of a declaration pattern (`x`, `[a, b]`, `{"k": v}`). */
function shallowVarNames(e: Expr): string[] {
  const k = e.kind;
  if (k.type === "some-decl") return [...k.vars];
  return exprTerms(e).flatMap((t) => termVarNames(t, false));
}

function resolveExpr(e: Expr, scope: Scope, ctx: RuleCtx, program: Program): Expr[] {
  const k = e.kind;
  const r = (t: Term): Term => resolveTerm(t, scope, ctx, program);
  const withs: WithModifier[] = e.with.map((w) => resolveWith(w, scope, ctx, program));
  let kind: ExprKind;
  switch (k.type) {
    case "some-decl":
      return [];
    case "term": {
      const t = k.term;
      if (t.type === "call") {
        const callee = resolveCallee(t.operator, t.loc, scope, ctx, program);
        if (callee.arity !== null && !callee.variadic && t.args.length === callee.arity + 1) {
          // Output-argument form: f(a, out) ≡ f(a) = out.
          const call: Term = { type: "call", operator: callee.name, args: t.args.slice(0, -1).map(r), loc: t.loc };
          kind = { type: "unify", left: call, right: r(t.args[t.args.length - 1]) };
          break;
        }
      }
      kind = { type: "term", term: r(t) };
      break;
    }
    case "unify":
      kind = { type: "unify", left: r(k.left), right: r(k.right) };
      break;
    case "assign":
      kind = { type: "assign", left: r(k.left), right: r(k.right) };
      break;
    case "some-in":
      kind = { type: "some-in", key: k.key ? r(k.key) : null, value: r(k.value), collection: r(k.collection) };
      break;
    case "every": {
      const declared = [...(k.key ? patternVarNames(k.key) : []), ...patternVarNames(k.value)];
      const inner = openScope(k.body, [], scope, ctx, declared);
      const ri = (t: Term): Term => resolveTerm(t, inner, ctx, program);
      const body = resolveBody(k.body, inner, ctx, program);
      kind = { type: "every", key: k.key ? ri(k.key) : null, value: ri(k.value), collection: r(k.collection), body };
      ctx.owned.set(kind, ownedNames(inner, body, ctx));
      break;
    }
  }
  return [{ kind, negated: e.negated, with: withs, loc: e.loc }];
}

function resolveWith(w: WithModifier, scope: Scope, ctx: RuleCtx, program: Program): WithModifier {
  const target = resolveTerm(w.target, scope, ctx, program);
  const ok = target.type === "ref" && target.head.type === "var" &&
    (target.head.name === "input" || target.head.name === "data") && target.path.every((p) => p.type === "string");
  if (!ok) {
    throw new RegoCompileError(w.loc, `rego_compile_error: with target ${describeTerm(w.target)} is not supported (only input... and data... refs)`);
  }
  if (target.type === "ref" && target.head.type === "var" && target.head.name === "data") {
    const names = target.path.map((p) => (p as { value: string }).value);
    for (let n = names.length; n >= 1; n--) {
      const g = program.rules.get(names.slice(0, n).join("."));
      if (g && g.kind === "function") {
        throw new RegoCompileError(w.loc, `with on function data.${g.key} is not supported`);
      }
    }
  }
  return { target, value: resolveTerm(w.value, scope, ctx, program), loc: w.loc };
}

interface Callee {
  name: string;
  arity: number | null;
  variadic: boolean;
}

function resolveCallee(op: string, loc: Location, scope: Scope, ctx: RuleCtx, program: Program): Callee {
  const parts = op.split(".");
  if (lookup(scope, parts[0]) !== undefined && !parts[0].startsWith("$")) {
    throw new RegoCompileError(loc, `rego_type_error: ${op} is a local variable, not a function`);
  }
  let abs: string[] | null = null;
  if (parts[0] === "data") abs = parts;
  else if (ctx.env.globals.has(parts[0])) abs = [...ctx.env.globals.get(parts[0])!, ...parts.slice(1)];
  if (abs && abs[0] === "data") {
    const g = program.rules.get(abs.slice(1).join("."));
    if (g) {
      if (g.kind !== "function") throw new RegoCompileError(loc, `rego_type_error: data.${g.key} is not a function`);
      return { name: `data.${g.key}`, arity: g.arity, variadic: false };
    }
  }
  if (DEPRECATED_BUILTINS.has(op) && !abs) {
    throw new RegoCompileError(loc, `rego_type_error: deprecated built-in function ${op} is not allowed in Rego v1`);
  }
  const b = BUILTINS[op];
  if (b && (!abs || parts[0] !== "data")) return { name: op, arity: b.arity, variadic: b.variadic === true };
  throw new RegoCompileError(loc, `rego_type_error: undefined function ${op}`);
}

function resolveTerm(t: Term, scope: Scope, ctx: RuleCtx, program: Program): Term {
  const r = (x: Term): Term => resolveTerm(x, scope, ctx, program);
  switch (t.type) {
    case "var":
      return resolveName(t.name, t.loc, scope, ctx);
    case "ref": {
      const head = t.head.type === "var" ? resolveName(t.head.name, t.head.loc, scope, ctx) : r(t.head);
      const path = t.path.map(r);
      if (head.type === "ref") return { type: "ref", head: head.head, path: [...head.path, ...path], loc: t.loc };
      return { type: "ref", head, path, loc: t.loc };
    }
    case "array":
      return { type: "array", items: t.items.map(r), loc: t.loc };
    case "set":
      return { type: "set", items: t.items.map(r), loc: t.loc };
    case "object":
      return { type: "object", entries: t.entries.map(([k, v]) => [r(k), r(v)] as [Term, Term]), loc: t.loc };
    case "call": {
      const callee = resolveCallee(t.operator, t.loc, scope, ctx, program);
      if (callee.arity !== null && !callee.variadic && t.args.length !== callee.arity) {
        throw new RegoCompileError(t.loc, `rego_type_error: ${t.operator}: arity mismatch (expected ${callee.arity} arguments, got ${t.args.length})`);
      }
      return { type: "call", operator: callee.name, args: t.args.map(r), loc: t.loc };
    }
    case "arraycomp":
    case "setcomp": {
      const inner = openScope(t.body, [t.head], scope, ctx, []);
      const body = resolveBody(t.body, inner, ctx, program);
      const head = resolveTerm(t.head, inner, ctx, program);
      const out: Term = { type: t.type, head, body, loc: t.loc };
      ctx.owned.set(out, ownedNames(inner, body, ctx, [head]));
      return out;
    }
    case "objectcomp": {
      const inner = openScope(t.body, [t.key, t.value], scope, ctx, []);
      const body = resolveBody(t.body, inner, ctx, program);
      const key = resolveTerm(t.key, inner, ctx, program);
      const value = resolveTerm(t.value, inner, ctx, program);
      const out: Term = { type: "objectcomp", key, value, body, loc: t.loc };
      ctx.owned.set(out, ownedNames(inner, body, ctx, [key, value]));
      return out;
    }
    default:
      return t;
  }
}

/** Locals of a closure scope plus those of closures nested in its body. */
function ownedNames(scope: Scope, body: Expr[], ctx: RuleCtx, heads: Term[] = []): Set<string> {
  const s = new Set(scope.names.values());
  const visit = (x: object): void => {
    const o = ctx.owned.get(x);
    if (o) o.forEach((n) => s.add(n));
  };
  for (const e of body) {
    visit(e.kind);
    for (const t of exprTerms(e)) forEachClosure(t, visit);
  }
  for (const h of heads) forEachClosure(h, visit);
  return s;
}

function resolveName(name: string, loc: Location, scope: Scope, ctx: RuleCtx): Term {
  if (name === "input" || name === "data") {
    return { type: "ref", head: { type: "var", name, loc }, path: [], loc };
  }
  const local = lookup(scope, name);
  if (local !== undefined) return { type: "var", name: local, loc };
  const g = ctx.env.globals.get(name);
  if (g) {
    return {
      type: "ref",
      head: { type: "var", name: g[0], loc },
      path: g.slice(1).map((p) => ({ type: "string", value: p, loc }) as Term),
      loc,
    };
  }
  // Every name is put in some scope by openScope; reaching here means a construct the scopes don't cover.
  throw new RegoCompileError(loc, `rego_unsafe_var_error: var ${name} is unsafe`);
}
