/**
 * The analysed program: the contract between the front end (parser.ts + analyze.ts) and the back end
 * (planner.ts / codegen.ts). `analyze(modules)` returns a `Program`.
 *
 * AST CHANGES (announced here for the back end; see ast.ts):
 * - `Expr.binds?: string[]` (added): after analysis, the local vars this expression binds for the first time,
 *   in the order its terms bind them. A var occurrence whose name is not yet bound (not a rule/function
 *   argument var, not bound by an earlier expression of the same body or an enclosing body, not earlier in the
 *   same expression) is a "bind" position; every other occurrence is a "test".
 * - Parser (no type change): a v1 head `p[x] if {...}` is an "object" rule with `value: null` (value true).
 *   `with` may now appear on `some ... in` and `every` expressions too (OPA allows it).
 *
 * Guarantees of every `Rule` and `Expr` reachable from a `Program` (the analysed copies, not the parser's):
 * 1. Vars: every `{type:"var"}` term is a LOCAL variable (names are unique per rule: shadowing in nested
 *    closures is renamed, wildcards are `$_N`, locals introduced by the front end start with `$`). The names
 *    `input` and `data` never occur as vars.
 * 2. Refs: `input` and `data` always appear as `{type:"ref", head:{type:"var",name:"input"|"data"}, path}`
 *    (path may be empty for the whole document). The head var of such a ref is NOT a local. Rule names used
 *    bare inside their package and imports are rewritten to absolute `data`/`input` refs
 *    (`p` in package `a.b` → `data.a.b.p`). All other refs have a local var or a call/composite as head.
 *    Dotted path elements are string terms.
 * 3. Calls: `operator` is a builtin name present in `BUILTINS` (analyze-builtins.ts; operators already
 *    mapped: plus, minus, equal, internal.member_2, ...) or an absolute user function path `data.a.b.f`.
 *    Calls always carry exactly the callee's arity of arguments: the "output argument" form `f(x, y)` /
 *    `split(s, ".", parts)` is rewritten to the expression `f(x) = y` (kind "unify").
 * 4. Bodies are reordered for safety (like OPA): each expression comes after the expressions that bind the
 *    vars it reads. `some x` declarations are removed (they only scope vars). `not` expressions read only
 *    bound vars except wildcards inside refs, which iterate inside the negation.
 * 5. Unification forms reaching the back end (`unify` and `assign`, identical meaning once checked): one side
 *    may be an unbound var (bind), both sides bound (test), or array/object literal patterns whose vars are
 *    bound pairwise against the other side (either side may be the pattern). Vars inside refs' key positions
 *    (`xs[i]`, `data.l[_].a`) that are unbound at that point iterate the collection (listed in `binds`).
 * 6. `some-in`: key/value are vars or patterns bound by iteration (listed in `binds` when new); `every` has its
 *    own analysed body whose `binds` are relative to the outer bound set plus the every's key/value.
 * 7. `with` targets are refs headed by `input` or `data` with constant string paths; values are bound terms.
 * 8. Comprehension bodies are analysed as nested bodies: vars bound in the enclosing body before the
 *    comprehension are visible (tests), others are local to the comprehension.
 * 9. Rule heads: `key`, `value`, and else values only use vars bound by their body (or args for functions).
 *    Function args are bound at entry (var args bind; composite/constant args are patterns to unify with the
 *    actual argument; their vars are in `Rule.argBinds`).
 */

import type { Expr, Location, Rule, RuleKind, Term } from "./ast";

export interface RuleGroup {
  /** Full path under `data`, e.g. ["policies", "config", "violations"]. */
  path: string[];
  /** Dotted key of `Program.rules`, e.g. "policies.config.violations". */
  key: string;
  /** Same for every definition (conflicting kinds are a compile error). */
  kind: RuleKind;
  /** Number of parameters for functions; null otherwise. */
  arity: number | null;
  /** Non-default definitions in source order (modules in the order given, rules in file order). */
  rules: AnalyzedRule[];
  /** The `default` definition (at most one; its value is a ground term). */
  defaultRule: AnalyzedRule | null;
}

export interface AnalyzedRule extends Rule {
  /** Vars bound by destructuring function arguments (vars among `args`, first occurrence order). */
  argBinds: string[];
}

export interface Program {
  /** Rule groups (complete, set, object rules and functions), keyed by dotted path under data. */
  rules: Map<string, RuleGroup>;
  /** Package paths declared by the modules (dotted, without `data`). */
  packages: Set<string>;
}

/** `"a/b"` or `"a.b"` or `"data.a.b"` → `["a", "b"]` (OPA's entrypoint spelling is slash-separated). */
export function entrypointPath(entrypoint: string): string[] {
  let e = entrypoint.trim();
  if (e.startsWith("data.")) e = e.slice(5);
  else if (e.startsWith("data/")) e = e.slice(5);
  return e.split(/[/.]/).filter((s) => s.length > 0);
}

/** `["a", "b"]` → `"a/b"`, the name the SDK's `entrypoints()` map uses. */
export function entrypointName(path: string[]): string {
  return path.join("/");
}

/**
 * Splits a constant data path into the rule group it enters and the remaining path inside the rule's value:
 * `["a","b","p","x"]` with a rule at a.b.p → `{group, rest: ["x"]}`. Null when no rule group is a prefix
 * (the path then names base data, a package, or a virtual-document prefix: see `groupsUnder`).
 */
export function findRuleGroup(program: Program, path: string[]): { group: RuleGroup; rest: string[] } | null {
  for (let n = path.length; n >= 1; n--) {
    const g = program.rules.get(path.slice(0, n).join("."));
    if (g) return { group: g, rest: path.slice(n) };
  }
  return null;
}

/** Rule groups whose path starts with `prefix` (strictly longer), for evaluating `data.a` as a document. */
export function groupsUnder(program: Program, prefix: string[]): RuleGroup[] {
  const out: RuleGroup[] = [];
  for (const g of program.rules.values()) {
    if (g.path.length > prefix.length && prefix.every((p, i) => g.path[i] === p)) out.push(g);
  }
  return out;
}

/** Convenience for the back end: a location-carrying description of an expression for error messages. */
export function describeLoc(loc: Location): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

export type { Expr, Rule, Term };
