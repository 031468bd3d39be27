/**
 * Rego abstract syntax tree: the contract between the parser (parser.ts) and the planner/code generator.
 * Operators are represented as calls to OPA's builtin names (`plus`, `equal`, `internal.member_2`, ...), so the
 * back end treats operators and builtins alike.
 */

export interface Location {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export type Term =
  | { type: "null"; loc: Location }
  | { type: "boolean"; value: boolean; loc: Location }
  /** `raw` is the literal text (exact for big integers and decimals). */
  | { type: "number"; raw: string; loc: Location }
  | { type: "string"; value: string; loc: Location }
  /** `_` is parsed as a var named `_` and becomes a fresh wildcard per occurrence (the parser renames it `$_N`). */
  | { type: "var"; name: string; loc: Location }
  /** `head.path[0][path[1]]...`: dotted names become string terms in `path`; head is a var or a call/composite. */
  | { type: "ref"; head: Term; path: Term[]; loc: Location }
  | { type: "array"; items: Term[]; loc: Location }
  | { type: "object"; entries: Array<[Term, Term]>; loc: Location }
  | { type: "set"; items: Term[]; loc: Location }
  | { type: "arraycomp"; head: Term; body: Expr[]; loc: Location }
  | { type: "setcomp"; head: Term; body: Expr[]; loc: Location }
  | { type: "objectcomp"; key: Term; value: Term; body: Expr[]; loc: Location }
  /**
   * A call. `operator` is the dotted name: builtins (`count`, `regex.match`), operators mapped to builtin
   * names (`plus`, `minus`, `mul`, `div`, `rem`, `and` for set `&`, `or` for set `|`, `equal`, `neq`, `lt`,
   * `lte`, `gt`, `gte`, `internal.member_2` for `x in xs`, `internal.member_3` for `k, v in xs`), unary minus
   * as `minus(0, x)`, or a user function ref such as `data.lib.f` / `f` (resolved by the planner).
   */
  | { type: "call"; operator: string; args: Term[]; loc: Location };

export interface WithModifier {
  /** The target ref as written: `input`, `input.a.b`, `data.x.y`. */
  target: Term;
  value: Term;
  loc: Location;
}

export type ExprKind =
  /** A plain term or call: true when defined and not `false`. */
  | { type: "term"; term: Term }
  /** `a = b` (unification). */
  | { type: "unify"; left: Term; right: Term }
  /** `a := b` (declares the vars on the left). */
  | { type: "assign"; left: Term; right: Term }
  /** `some x, y` (declares vars; they are bound later by refs such as `xs[x]`). */
  | { type: "some-decl"; vars: string[] }
  /** `some v in coll` / `some k, v in coll` (key null for the one-var form). */
  | { type: "some-in"; key: Term | null; value: Term; collection: Term }
  /** `every v in coll { body }` / `every k, v in coll { body }`. */
  | { type: "every"; key: Term | null; value: Term; collection: Term; body: Expr[] };

export interface Expr {
  kind: ExprKind;
  /** `not expr`. */
  negated: boolean;
  with: WithModifier[];
  loc: Location;
  /** Set by analyze(): local vars this expression binds for the first time (see program.ts). */
  binds?: string[];
}

export type RuleKind = "complete" | "set" | "object" | "function";

export interface RuleElse {
  /** Null means `true`. */
  value: Term | null;
  body: Expr[];
  loc: Location;
}

export interface Rule {
  kind: RuleKind;
  default: boolean;
  /** Rule name path below the package (one element for `p`, more for ref heads such as `a.b.c` or `p[“x”]`). */
  path: string[];
  /** Function parameters (terms, usually vars). */
  args: Term[] | null;
  /** Set member (`contains x`) or object key (`p[k] := v`). */
  key: Term | null;
  /** Value; null means `true`. */
  value: Term | null;
  /** Empty body: unconditionally true. */
  body: Expr[];
  elseChain: RuleElse[];
  loc: Location;
}

export interface Import {
  /** e.g. ["data", "lib", "x"] or ["input"], ["rego", "v1"], ["future", "keywords", "in"]. */
  path: string[];
  alias: string | null;
  loc: Location;
}

export interface Module {
  file: string;
  /** Package path without the leading `data`, e.g. ["policies", "config"]. */
  package: string[];
  imports: Import[];
  rules: Rule[];
}

/** Raised for syntax errors and for constructs outside the supported subset; always names file, line, column. */
export class RegoCompileError extends Error {
  constructor(
    readonly loc: Location,
    readonly detail: string,
  ) {
    super(`${loc.file}:${loc.line}:${loc.col}: ${detail}`);
    this.name = "RegoCompileError";
  }
}
