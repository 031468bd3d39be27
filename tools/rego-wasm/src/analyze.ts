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
import { BUILTINS } from "./analyze-builtins";
import { checkRecursion } from "./analyze-recursion";
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
  for (const env of envs) {
    const pkg = env.module.package;
    for (const rule of env.module.rules) env.globals.set(rule.path[0], ["data", ...pkg, rule.path[0]]);
    for (const imp of env.module.imports) {
      if (imp.path[0] !== "data" && imp.path[0] !== "input") continue;
      if (imp.path.length === 1 && imp.alias === null) continue;
      const name = imp.alias ?? imp.path[imp.path.length - 1];
      if (env.globals.has(name) && env.module.rules.some((r) => r.path[0] === name)) {
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
  return out;
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
function patternVarNames(t: Term): string[] {
  const out: string[] = [];
  const walk = (x: Term): void => {
    if (x.type === "var") out.push(x.name);
    else if (x.type === "array") x.items.forEach(walk);
    else if (x.type === "object") x.entries.forEach(([, v]) => walk(v));
  };
  walk(t);
  return out;
}

/** Var names occurring in a term; `deep` also enters comprehensions. Ref heads count, operators don't. */
function termVarNames(t: Term, deep: boolean): string[] {
  const out: string[] = [];
  const walk = (x: Term): void => {
    switch (x.type) {
      case "var":
        out.push(x.name);
        break;
      case "ref":
        walk(x.head);
        x.path.forEach(walk);
        break;
      case "array":
      case "set":
        x.items.forEach(walk);
        break;
      case "object":
        x.entries.forEach(([k, v]) => {
          walk(k);
          walk(v);
        });
        break;
      case "call":
        x.args.forEach(walk);
        break;
      case "arraycomp":
      case "setcomp":
        if (deep) {
          walk(x.head);
          x.body.forEach((e) => exprTerms(e).forEach(walk));
        }
        break;
      case "objectcomp":
        if (deep) {
          walk(x.key);
          walk(x.value);
          x.body.forEach((e) => exprTerms(e).forEach(walk));
        }
        break;
      default:
        break;
    }
  };
  walk(t);
  return out;
}

/** Terms of an expression evaluated in the expression's own scope (not every's body). */
function exprTerms(e: Expr): Term[] {
  const k = e.kind;
  const out: Term[] = [];
  switch (k.type) {
    case "term":
      out.push(k.term);
      break;
    case "unify":
    case "assign":
      out.push(k.left, k.right);
      break;
    case "some-decl":
      break;
    case "some-in":
      if (k.key) out.push(k.key);
      out.push(k.value, k.collection);
      break;
    case "every":
      out.push(k.collection);
      break;
  }
  for (const w of e.with) out.push(w.target, w.value);
  return out;
}

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
      const out: Term = { type: t.type, head: resolveTerm(t.head, inner, ctx, program), body, loc: t.loc };
      ctx.owned.set(out, ownedNames(inner, body, ctx));
      return out;
    }
    case "objectcomp": {
      const inner = openScope(t.body, [t.key, t.value], scope, ctx, []);
      const body = resolveBody(t.body, inner, ctx, program);
      const out: Term = {
        type: "objectcomp",
        key: resolveTerm(t.key, inner, ctx, program),
        value: resolveTerm(t.value, inner, ctx, program),
        body,
        loc: t.loc,
      };
      ctx.owned.set(out, ownedNames(inner, body, ctx));
      return out;
    }
    default:
      return t;
  }
}

/** Locals of a closure scope plus those of closures nested in its body. */
function ownedNames(scope: Scope, body: Expr[], ctx: RuleCtx): Set<string> {
  const s = new Set(scope.names.values());
  const visit = (x: object): void => {
    const o = ctx.owned.get(x);
    if (o) o.forEach((n) => s.add(n));
  };
  for (const e of body) {
    visit(e.kind);
    for (const t of exprTerms(e)) forEachClosure(t, visit);
  }
  return s;
}

function forEachClosure(t: Term, f: (c: Term) => void): void {
  switch (t.type) {
    case "ref":
      forEachClosure(t.head, f);
      t.path.forEach((p) => forEachClosure(p, f));
      break;
    case "array":
    case "set":
      t.items.forEach((i) => forEachClosure(i, f));
      break;
    case "object":
      t.entries.forEach(([k, v]) => {
        forEachClosure(k, f);
        forEachClosure(v, f);
      });
      break;
    case "call":
      t.args.forEach((a) => forEachClosure(a, f));
      break;
    case "arraycomp":
    case "setcomp":
    case "objectcomp":
      f(t);
      break;
    default:
      break;
  }
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

// ---------------------------------------------------------------------------------------------------------
// Safety

/** Vars a term needs bound when evaluated as a value; ref-key vars are outputs, closures need their free vars. */
function needsOfIn(t: Term, ctx: RuleCtx): string[] {
  const out: string[] = [];
  collectIO(t, ctx, out, []);
  return out;
}

/** Splits a term's vars into needs (evaluated as values) and ref outputs (iteration keys). */
function collectIO(t: Term, ctx: RuleCtx, needs: string[], refOut: string[]): void {
  switch (t.type) {
    case "var":
      needs.push(t.name);
      break;
    case "ref":
      if (t.head.type === "var") {
        if (t.head.name !== "input" && t.head.name !== "data") needs.push(t.head.name);
      } else collectIO(t.head, ctx, needs, refOut);
      for (const p of t.path) {
        if (p.type === "var") refOut.push(p.name);
        else if (p.type === "array" || p.type === "object") {
          // A composite key such as `s[[1, x]]` is a pattern matched against each key.
          patternNeeds(p, ctx, needs, refOut);
          refOut.push(...patternVarNames(p));
        } else collectIO(p, ctx, needs, refOut);
      }
      break;
    case "array":
    case "set":
      t.items.forEach((i) => collectIO(i, ctx, needs, refOut));
      break;
    case "object":
      t.entries.forEach(([k, v]) => {
        collectIO(k, ctx, needs, refOut);
        collectIO(v, ctx, needs, refOut);
      });
      break;
    case "call":
      t.args.forEach((a) => collectIO(a, ctx, needs, refOut));
      break;
    case "arraycomp":
    case "setcomp":
    case "objectcomp": {
      const owned = ctx.owned.get(t) ?? new Set<string>();
      for (const n of termVarNames(t, true)) {
        if (!owned.has(n) && n !== "input" && n !== "data") needs.push(n);
      }
      break;
    }
    default:
      break;
  }
}

/** Vars of a pattern that unification can bind, given the other side is evaluable. */
function patternOutputs(t: Term, safe: Set<string>): string[] {
  const out: string[] = [];
  const walk = (x: Term): void => {
    if (x.type === "var") {
      if (!safe.has(x.name)) out.push(x.name);
    } else if (x.type === "array") x.items.forEach(walk);
    else if (x.type === "object") x.entries.forEach(([, v]) => walk(v));
  };
  walk(t);
  return out;
}

/** Vars of `t` outside pattern positions (ref heads/keys, call args, set items, object keys...) needed. */
function patternNeeds(t: Term, ctx: RuleCtx, needs: string[], refOut: string[]): void {
  if (t.type === "var") return;
  if (t.type === "array") t.items.forEach((i) => patternNeeds(i, ctx, needs, refOut));
  else if (t.type === "object") {
    t.entries.forEach(([k, v]) => {
      collectIO(k, ctx, needs, refOut);
      patternNeeds(v, ctx, needs, refOut);
    });
  } else collectIO(t, ctx, needs, refOut);
}

interface ExprIO {
  /** Vars that must be bound before the expression runs (given the current safe set). */
  needs: Set<string>;
  /** Vars the expression binds. */
  outputs: string[];
}

function unifyIO(l: Term, r: Term, safe: Set<string>, ctx: RuleCtx): ExprIO {
  // Vars bound by iterating refs on either side are available to the rest of the unification.
  const lNeeds: string[] = [];
  const lRef: string[] = [];
  collectIO(l, ctx, lNeeds, lRef);
  const rNeeds: string[] = [];
  const rRef: string[] = [];
  collectIO(r, ctx, rNeeds, rRef);
  const bound = new Set([...safe, ...lRef, ...rRef]);
  const outputs = new Set<string>([...lRef, ...rRef].filter((v) => !safe.has(v)));
  // Fixpoint: a side whose value can be computed lets the other side's pattern vars bind.
  for (let changed = true; changed; ) {
    changed = false;
    const add = (vs: string[]): void => {
      for (const v of vs) {
        if (!bound.has(v)) {
          bound.add(v);
          outputs.add(v);
          changed = true;
        }
      }
    };
    unifyPair(l, r, bound, ctx, add);
  }
  const needs = new Set<string>();
  for (const v of [...lNeeds, ...rNeeds]) if (!bound.has(v)) needs.add(v);
  return { needs, outputs: [...outputs] };
}

function unifyPair(l: Term, r: Term, bound: Set<string>, ctx: RuleCtx, add: (vs: string[]) => void): void {
  if (l.type === "array" && r.type === "array" && l.items.length === r.items.length) {
    l.items.forEach((x, i) => unifyPair(x, r.items[i], bound, ctx, add));
    return;
  }
  if (l.type === "object" && r.type === "object") {
    for (const [k, v] of l.entries) {
      const other = r.entries.find(([k2]) => isGround(k) && isGround(k2) && groundKey(k) === groundKey(k2));
      if (other) unifyPair(v, other[1], bound, ctx, add);
    }
    return;
  }
  const evaluable = (t: Term): boolean => {
    const n: string[] = [];
    collectIO(t, ctx, n, []);
    return n.every((v) => bound.has(v));
  };
  const patternReady = (t: Term): boolean => {
    const n: string[] = [];
    patternNeeds(t, ctx, n, []);
    return n.every((v) => bound.has(v));
  };
  if (evaluable(r) && patternReady(l)) add(patternOutputs(l, bound));
  if (evaluable(l) && patternReady(r)) add(patternOutputs(r, bound));
}

function exprIO(e: Expr, safe: Set<string>, ctx: RuleCtx): ExprIO {
  const k = e.kind;
  let io: ExprIO;
  switch (k.type) {
    case "term": {
      const needs: string[] = [];
      const refOut: string[] = [];
      collectIO(k.term, ctx, needs, refOut);
      io = { needs: new Set(needs.filter((v) => !safe.has(v) && !refOut.includes(v))), outputs: uniq(refOut.filter((v) => !safe.has(v))) };
      break;
    }
    case "unify":
    case "assign":
      io = unifyIO(k.left, k.right, safe, ctx);
      break;
    case "some-in": {
      const needs: string[] = [];
      const refOut: string[] = [];
      collectIO(k.collection, ctx, needs, refOut);
      const bound = new Set([...safe, ...refOut]);
      const pn: string[] = [];
      if (k.key) patternNeeds(k.key, ctx, pn, refOut);
      patternNeeds(k.value, ctx, pn, refOut);
      const outs = [...refOut, ...(k.key ? patternOutputs(k.key, bound) : []), ...patternOutputs(k.value, bound)];
      const outSet = new Set(outs);
      io = {
        needs: new Set([...needs, ...pn].filter((v) => !safe.has(v) && !outSet.has(v))),
        outputs: uniq(outs.filter((v) => !safe.has(v))),
      };
      break;
    }
    case "every": {
      const needs: string[] = [];
      const refOut: string[] = [];
      collectIO(k.collection, ctx, needs, refOut);
      const owned = ctx.owned.get(k) ?? new Set<string>();
      for (const b of k.body) {
        for (const t of exprTerms(b)) {
          for (const n of termVarNames(t, true)) if (!owned.has(n) && n !== "input" && n !== "data") needs.push(n);
        }
      }
      io = { needs: new Set(needs.filter((v) => !safe.has(v) && !refOut.includes(v))), outputs: [] };
      // Iteration vars of the domain stay inside the every (it is a negation-like test).
      for (const v of refOut) if (!safe.has(v) && !v.startsWith("$_")) io.needs.add(v);
      break;
    }
    default:
      io = { needs: new Set(), outputs: [] };
  }
  for (const w of e.with) for (const v of needsOfIn(w.value, ctx)) if (!safe.has(v)) io.needs.add(v);
  if (e.negated) {
    // Only wildcards may be bound inside a negation; they never escape.
    for (const v of io.outputs) if (!v.startsWith("$_")) io.needs.add(v);
    io.outputs = [];
  }
  return io;
}

/** Reorders a body so every expression follows the ones binding its inputs; records `binds`. */
function orderBody(body: Expr[], safe0: Set<string>, ctx: RuleCtx, loc: Location): { ordered: Expr[]; safeAfter: Set<string> } {
  const safe = new Set(safe0);
  let remaining = [...body];
  const ordered: Expr[] = [];
  // Like OPA: repeated passes in source order, each taking every expression whose inputs are bound by then.
  while (remaining.length > 0) {
    const deferred: Expr[] = [];
    for (const e of remaining) {
      const io = exprIO(e, safe, ctx);
      if (io.needs.size > 0) {
        deferred.push(e);
        continue;
      }
      analyzeExprClosures(e, new Set(safe), ctx);
      // Bind order: as the terms are written (left to right).
      const outs = io.outputs;
      const order = exprTerms(e).flatMap((t) => termVarNames(t, false)).filter((n) => outs.includes(n));
      e.binds = uniq([...order, ...outs]);
      e.binds.forEach((v) => safe.add(v));
      ordered.push(e);
    }
    if (deferred.length === remaining.length) {
      const e = deferred[0];
      const names = [...exprIO(e, safe, ctx).needs].sort();
      const v = names[0];
      const where = findVarLocInExpr(e, v) ?? e.loc;
      throw new RegoCompileError(where, `rego_unsafe_var_error: var ${display(v)} is unsafe`);
    }
    remaining = deferred;
  }
  void loc;
  return { ordered, safeAfter: safe };
}

function analyzeExprClosures(e: Expr, safe: Set<string>, ctx: RuleCtx): void {
  const k = e.kind;
  for (const t of exprTerms(e)) analyzeClosures(t, safe, ctx);
  if (k.type === "every") {
    const inner = new Set(safe);
    if (k.key) patternVarNames(k.key).forEach((v) => inner.add(v));
    patternVarNames(k.value).forEach((v) => inner.add(v));
    const { ordered } = orderBody(k.body, inner, ctx, e.loc);
    k.body.splice(0, k.body.length, ...ordered);
  }
}

function analyzeClosures(t: Term, safe: Set<string>, ctx: RuleCtx): void {
  forEachClosure(t, (c) => {
    if (c.type !== "arraycomp" && c.type !== "setcomp" && c.type !== "objectcomp") return;
    const { ordered, safeAfter } = orderBody(c.body, safe, ctx, c.loc);
    c.body.splice(0, c.body.length, ...ordered);
    const heads = c.type === "objectcomp" ? [c.key, c.value] : [c.head];
    for (const h of heads) {
      for (const v of needsOfIn(h, ctx)) {
        if (!safeAfter.has(v)) throw new RegoCompileError(findVarLoc(h, v) ?? h.loc, `rego_unsafe_var_error: var ${display(v)} is unsafe`);
      }
      analyzeClosures(h, safeAfter, ctx);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

function display(v: string): string {
  if (v.startsWith("$_")) return "_";
  const i = v.indexOf("$");
  return i > 0 ? v.slice(0, i) : v;
}

export function isGround(t: Term): boolean {
  switch (t.type) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return true;
    case "array":
    case "set":
      return t.items.every(isGround);
    case "object":
      return t.entries.every(([k, v]) => isGround(k) && isGround(v));
    default:
      return false;
  }
}

function groundKey(t: Term): string {
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return `n:${Number(t.raw)}`;
    case "string":
      return `s:${t.value}`;
    default:
      return `c:${JSON.stringify(t, (k, v) => (k === "loc" ? undefined : v))}`;
  }
}

function findVarLoc(t: Term, v: string): Location | null {
  let found: Location | null = null;
  const walk = (x: Term): void => {
    if (found) return;
    switch (x.type) {
      case "var":
        if (x.name === v) found = x.loc;
        break;
      case "ref":
        walk(x.head);
        x.path.forEach(walk);
        break;
      case "array":
      case "set":
        x.items.forEach(walk);
        break;
      case "object":
        x.entries.forEach(([a, b]) => {
          walk(a);
          walk(b);
        });
        break;
      case "call":
        x.args.forEach(walk);
        break;
      case "arraycomp":
      case "setcomp":
        walk(x.head);
        x.body.forEach((e) => exprTerms(e).forEach(walk));
        break;
      case "objectcomp":
        walk(x.key);
        walk(x.value);
        x.body.forEach((e) => exprTerms(e).forEach(walk));
        break;
      default:
        break;
    }
  };
  walk(t);
  return found;
}

function findVarLocInExpr(e: Expr, v: string): Location | null {
  for (const t of exprTerms(e)) {
    const l = findVarLoc(t, v);
    if (l) return l;
  }
  if (e.kind.type === "every") {
    for (const b of e.kind.body) {
      const l = findVarLocInExpr(b, v);
      if (l) return l;
    }
  }
  return null;
}

function describeTerm(t: Term): string {
  switch (t.type) {
    case "var":
      return t.name;
    case "ref":
      return `${describeTerm(t.head)}${t.path.map((p) => (p.type === "string" ? `.${p.value}` : "[...]")).join("")}`;
    case "call":
      return `${t.operator}(...)`;
    default:
      return t.type;
  }
}
