/**
 * Recursive-descent parser for the Rego v1 subset (see README.md). Produces the AST of ast.ts; names are not
 * resolved here (analyze.ts does that). Anything outside the subset throws RegoCompileError at its location
 * instead of being guessed at.
 *
 * Term precedence follows OPA's grammar, lowest first: `in` < `== != < <= > >=` < `|` < `&` < `+ -` < `* / %`.
 */

import {
  Expr,
  ExprKind,
  Import,
  Location,
  Module,
  RegoCompileError,
  Rule,
  RuleElse,
  RuleKind,
  Term,
  WithModifier,
} from "./ast";
import { Token, tokenize } from "./lexer";

const KEYWORDS = new Set([
  "not", "some", "every", "with", "as", "in", "if", "contains", "else", "default", "import", "package",
]);

const RELATION_OPS: Record<string, string> = {
  "==": "equal", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte",
};
const ARITH_OPS: Record<string, string> = { "+": "plus", "-": "minus" };
const FACTOR_OPS: Record<string, string> = { "*": "mul", "/": "div", "%": "rem" };

export function parseModule(file: string, source: string): Module {
  return new Parser(file, tokenize(file, source)).module();
}

/** Parses a query body such as `data.a.b = x` (used by the conformance harness to inspect queries). */
export function parseBody(file: string, source: string): Expr[] {
  const p = new Parser(file, tokenize(file, source));
  return p.topQuery();
}

class Parser {
  private pos = 0;
  private wildcards = 0;
  /** While > 0, `|` at the top of a term is not an operator (first element of a possible comprehension). */
  private noOr = 0;

  constructor(
    private readonly file: string,
    private readonly toks: Token[],
  ) {}

  // ---- token helpers ----
  private get tok(): Token {
    return this.toks[this.pos];
  }
  private peek(n = 1): Token {
    return this.toks[Math.min(this.pos + n, this.toks.length - 1)];
  }
  private next(): Token {
    const t = this.toks[this.pos];
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  private atEof(): boolean {
    return this.tok.type === "eof";
  }
  private isPunct(text: string, t: Token = this.tok): boolean {
    return t.type === "punct" && t.text === text;
  }
  private isKw(word: string, t: Token = this.tok): boolean {
    return t.type === "ident" && t.text === word;
  }
  private fail(msg: string, t: Token = this.tok): never {
    throw new RegoCompileError(t.loc, msg);
  }
  private expect(text: string): Token {
    if (!this.isPunct(text)) this.fail(`expected ${text} but found ${describe(this.tok)}`);
    return this.next();
  }

  // ---- module level ----
  module(): Module {
    if (!this.isKw("package")) this.fail("expected package declaration");
    this.next();
    const pkg = this.plainPath("package");
    if (pkg[0] === "data") pkg.shift();
    const mod: Module = { file: this.file, package: pkg, imports: [], rules: [] };
    this.endOfStatement();
    while (this.isKw("import")) {
      mod.imports.push(this.importDecl());
      this.endOfStatement();
    }
    while (this.tok.type !== "eof") {
      if (!this.tok.nl) this.fail(`unexpected ${describe(this.tok)}`);
      if (this.isKw("import")) this.fail("imports must come before rules");
      if (this.isKw("package")) this.fail("more than one package declaration");
      mod.rules.push(this.rule());
    }
    return mod;
  }

  /** Package, import and rule declarations each end their line (`;` does not separate them). */
  private endOfStatement(): void {
    if (this.tok.type !== "eof" && !this.tok.nl) this.fail(`unexpected ${describe(this.tok)}`);
  }

  /** `a.b.c` (identifiers separated by dots, used by package and import). */
  private plainPath(what: string): string[] {
    const out: string[] = [];
    if (this.tok.type !== "ident") this.fail(`expected ${what} path`);
    out.push(this.next().text);
    for (;;) {
      if (this.isPunct(".") && this.peek().type === "ident") {
        this.next();
        out.push(this.next().text);
      } else if (this.isPunct("[") && this.peek().type === "string" && this.isPunct("]", this.peek(2))) {
        this.next();
        out.push(this.next().text);
        this.next();
      } else break;
    }
    return out;
  }

  private importDecl(): Import {
    const loc = this.next().loc;
    const path = this.plainPath("import");
    let alias: string | null = null;
    if (this.isKw("as")) {
      this.next();
      if (this.tok.type !== "ident") this.fail("expected alias after `as`");
      alias = this.next().text;
    }
    const head = path[0];
    if (head === "rego") {
      if (path.length !== 2 || path[1] !== "v1") this.fail(`unsupported import ${path.join(".")}`);
    } else if (head === "future") {
      const ok = path[1] === "keywords" && (path.length === 2 ||
        (path.length === 3 && ["in", "every", "if", "contains"].includes(path[2])));
      if (!ok) this.fail(`unsupported import ${path.join(".")}`);
    } else if (head !== "data" && head !== "input") {
      throw new RegoCompileError(loc, `unsupported import ${path.join(".")} (only data, input, rego.v1, future.keywords)`);
    }
    return { path, alias, loc };
  }

  private rule(): Rule {
    const start = this.tok;
    let isDefault = false;
    if (this.isKw("default")) {
      this.next();
      isDefault = true;
    }
    if (this.tok.type !== "ident" || KEYWORDS.has(this.tok.text)) this.fail(`unexpected ${describe(this.tok)}, expected a rule`);
    // Head reference: name ( . name | [ term ] )*
    const headLoc = this.tok.loc;
    const elems: Term[] = [{ type: "string", value: this.next().text, loc: headLoc }];
    for (;;) {
      if (this.isPunct(".") && !this.tok.ws && this.peek().type === "ident") {
        this.next();
        const t = this.next();
        elems.push({ type: "string", value: t.text, loc: t.loc });
      } else if (this.isPunct("[") && !this.tok.ws) {
        this.next();
        elems.push(this.termIn(false));
        this.expect("]");
      } else break;
    }
    let args: Term[] | null = null;
    if (this.isPunct("(") && !this.tok.ws) {
      this.next();
      args = [];
      while (!this.isPunct(")")) {
        args.push(this.termIn(false));
        if (this.isPunct(",")) this.next();
        else if (!this.isPunct(")")) this.fail(`expected , or ) in function arguments, found ${describe(this.tok)}`);
      }
      this.next();
    }
    let kind: RuleKind = args ? "function" : "complete";
    let key: Term | null = null;
    let value: Term | null = null;
    if (this.isKw("contains")) {
      if (args) this.fail("functions cannot use `contains`");
      this.next();
      kind = "set";
      key = this.termIn(false);
    } else if (this.isPunct(":=") || this.isPunct("=")) {
      this.next();
      value = this.termIn(false);
    }
    // Split the head ref into the rule path and (for partial objects) the key term.
    const path: string[] = [];
    for (let i = 0; i < elems.length; i++) {
      const e = elems[i];
      const last = i === elems.length - 1;
      if (e.type === "string") path.push(e.value);
      else if (last && kind === "complete" && value !== null) {
        kind = "object";
        key = e;
      } else if (last && kind === "complete" && value === null && args === null) {
        // Rego v1: `p[x] if {...}` is a single-value rule with key x and value true (a partial object); the
        // v0 meaning (a partial set) is spelled `p contains x` in v1.
        kind = "object";
        key = e;
      } else {
        throw new RegoCompileError(e.loc, "rule head references with variables or non-string keys before the last position are not supported");
      }
    }
    if (kind === "function" && (key !== null)) this.fail("invalid function head");
    const rule: Rule = {
      kind, default: isDefault, path, args, key, value, body: [], elseChain: [], loc: start.loc,
    };
    if (isDefault) {
      if (kind === "set" || kind === "object") throw new RegoCompileError(start.loc, "default rules must be complete rules or functions");
      if (value === null) this.fail("default rule needs a value (`default p := v`)");
      if (this.isKw("if") || this.isPunct("{")) this.fail("default rules cannot have a body");
      return rule;
    }
    const hasBody = this.ruleBody(rule);
    if (!hasBody && value === null && kind !== "set") {
      this.fail(`rule ${path.join(".")} needs a value or a body (\`if\`)`, start);
    }
    while (this.isKw("else")) {
      if (kind === "set" || kind === "object") this.fail("`else` is only allowed on complete rules and functions");
      const eloc = this.next().loc;
      let evalue: Term | null = null;
      if (this.isPunct(":=") || this.isPunct("=")) {
        this.next();
        evalue = this.termIn(false);
      }
      const els: RuleElse = { value: evalue, body: [], loc: eloc };
      if (this.isKw("if")) {
        this.next();
        els.body = this.ifBody();
      } else if (this.isPunct("{")) {
        this.fail("`if` keyword is required before an else body in Rego v1");
      }
      rule.elseChain.push(els);
    }
    return rule;
  }

  /** Parses `if { ... }` / `if literal` after a head; returns false when the rule has no body. */
  private ruleBody(rule: Rule): boolean {
    if (this.isKw("if")) {
      this.next();
      rule.body = this.ifBody();
      if (this.isPunct("{") && !this.tok.nl) this.fail("multiple rule bodies are not supported");
      return true;
    }
    if (this.isPunct("{") && !this.tok.nl) this.fail("`if` keyword is required before a rule body in Rego v1");
    return false;
  }

  private ifBody(): Expr[] {
    if (this.isPunct("{")) {
      this.next();
      return this.query("}");
    }
    // `p if expr`: a single literal on the same line.
    return [this.literal()];
  }

  /** Body until the closing token (consumed). Literals are separated by `;` or newlines. */
  private query(close: string): Expr[] {
    const out: Expr[] = [];
    for (;;) {
      while (this.isPunct(";")) this.next();
      if (this.isPunct(close)) {
        this.next();
        break;
      }
      if (this.tok.type === "eof") this.fail(`expected ${close}`);
      if (out.length > 0 && !this.tok.nl && !this.isPunct(";", this.toks[this.pos - 1])) {
        this.fail(`unexpected ${describe(this.tok)}, expected ; or newline between expressions`);
      }
      out.push(this.literal());
    }
    if (out.length === 0 && close === "}") {
      throw new RegoCompileError(this.toks[this.pos - 1].loc, "empty body");
    }
    return out;
  }

  topQuery(): Expr[] {
    const out: Expr[] = [];
    while (this.tok.type !== "eof") {
      while (this.isPunct(";")) this.next();
      if (this.atEof()) break;
      out.push(this.literal());
    }
    return out;
  }

  private literal(): Expr {
    const start = this.tok;
    let negated = false;
    let kind: ExprKind;
    if (this.isKw("some")) kind = this.someDecl();
    else if (this.isKw("every")) kind = this.every();
    else {
      if (this.isKw("not")) {
        this.next();
        negated = true;
      }
      kind = this.exprKind();
    }
    const withs: WithModifier[] = [];
    while (this.isKw("with")) {
      const wloc = this.next().loc;
      const target = this.term();
      if (!this.isKw("as")) this.fail("expected `as` in with modifier");
      this.next();
      const value = this.termIn(false);
      withs.push({ target, value, loc: wloc });
    }
    return { kind, negated, with: withs, loc: start.loc };
  }

  private exprKind(): ExprKind {
    const left = this.termIn(true);
    if (this.isPunct(":=") || this.isPunct("=")) {
      const op = this.next().text;
      const right = this.termIn(false);
      return op === ":=" ? { type: "assign", left, right } : { type: "unify", left, right };
    }
    return { type: "term", term: left };
  }

  private someDecl(): ExprKind {
    const start = this.next();
    const first = this.termRelation();
    let second: Term | null = null;
    if (this.isPunct(",")) {
      this.next();
      second = this.termRelation();
      if (this.isPunct(",")) {
        // `some a, b, c` — a plain declaration list.
        const vars = [first, second];
        while (this.isPunct(",")) {
          this.next();
          vars.push(this.termRelation());
        }
        return this.someVars(vars, start);
      }
    }
    if (this.isKw("in")) {
      this.next();
      const collection = this.termRelation();
      const kind: ExprKind = second
        ? { type: "some-in", key: first, value: second, collection }
        : { type: "some-in", key: null, value: first, collection };
      void start;
      return kind;
    }
    return this.someVars(second ? [first, second] : [first], start);
  }

  private someVars(terms: Term[], start: Token): ExprKind {
    const vars: string[] = [];
    for (const t of terms) {
      if (t.type !== "var") throw new RegoCompileError(t.loc, "expected variable in `some` declaration");
      vars.push(t.name);
    }
    void start;
    return { type: "some-decl", vars };
  }

  private every(): ExprKind {
    const start = this.next();
    const first = this.termRelation();
    let second: Term | null = null;
    if (this.isPunct(",")) {
      this.next();
      second = this.termRelation();
    }
    if (!this.isKw("in")) this.fail("expected `in` in every");
    this.next();
    const collection = this.termRelation();
    this.expect("{");
    const body = this.query("}");
    const kind: ExprKind = second
      ? { type: "every", key: first, value: second, collection, body }
      : { type: "every", key: null, value: first, collection, body };
    void start;
    return kind;
  }

  // ---- terms ----
  /** `a in b`, and with keyVal `k, v in b` (only at the top of an expression). */
  private termIn(keyVal: boolean): Term {
    let lhs = this.termRelation();
    if (keyVal && this.isPunct(",")) {
      const save = this.pos;
      this.next();
      const mid = this.termRelation();
      if (this.isKw("in")) {
        const op = this.next();
        const rhs = this.termRelation();
        lhs = { type: "call", operator: "internal.member_3", args: [lhs, mid, rhs], loc: op.loc };
      } else {
        this.pos = save;
        return lhs;
      }
    }
    while (this.isKw("in")) {
      const op = this.next();
      const rhs = this.termRelation();
      lhs = { type: "call", operator: "internal.member_2", args: [lhs, rhs], loc: op.loc };
    }
    return lhs;
  }

  private termRelation(): Term {
    let lhs = this.termOr();
    while (this.tok.type === "punct" && RELATION_OPS[this.tok.text]) {
      const op = this.next();
      const rhs = this.termOr();
      lhs = { type: "call", operator: RELATION_OPS[op.text], args: [lhs, rhs], loc: op.loc };
    }
    return lhs;
  }

  private termOr(): Term {
    let lhs = this.termAnd();
    while (this.noOr === 0 && this.isPunct("|")) {
      const op = this.next();
      const rhs = this.termAnd();
      lhs = { type: "call", operator: "or", args: [lhs, rhs], loc: op.loc };
    }
    return lhs;
  }

  private termAnd(): Term {
    let lhs = this.termArith();
    while (this.isPunct("&")) {
      const op = this.next();
      const rhs = this.termArith();
      lhs = { type: "call", operator: "and", args: [lhs, rhs], loc: op.loc };
    }
    return lhs;
  }

  private termArith(): Term {
    let lhs = this.termFactor();
    while (this.tok.type === "punct" && ARITH_OPS[this.tok.text] && !(this.tok.nl && this.tok.text === "-")) {
      const op = this.next();
      const rhs = this.termFactor();
      lhs = { type: "call", operator: ARITH_OPS[op.text], args: [lhs, rhs], loc: op.loc };
    }
    return lhs;
  }

  private termFactor(): Term {
    let lhs = this.term();
    while (this.tok.type === "punct" && FACTOR_OPS[this.tok.text]) {
      const op = this.next();
      const rhs = this.term();
      lhs = { type: "call", operator: FACTOR_OPS[op.text], args: [lhs, rhs], loc: op.loc };
    }
    return lhs;
  }

  /** A single operand: literal, var/ref/call, composite, comprehension, parenthesised term, unary minus. */
  term(): Term {
    const t = this.tok;
    const saveNoOr = this.noOr;
    this.noOr = 0;
    try {
      return this.postfix(this.primary());
    } finally {
      this.noOr = saveNoOr;
      void t;
    }
  }

  private primary(): Term {
    const t = this.tok;
    const loc = t.loc;
    if (t.type === "number") {
      this.next();
      return { type: "number", raw: t.text, loc };
    }
    if (t.type === "string") {
      this.next();
      return { type: "string", value: t.text, loc };
    }
    if (this.isPunct("-")) {
      this.next();
      if (this.tok.type === "number" && !this.tok.ws) {
        const n = this.next();
        return { type: "number", raw: "-" + n.text, loc };
      }
      const operand = this.term();
      return { type: "call", operator: "minus", args: [{ type: "number", raw: "0", loc }, operand], loc };
    }
    if (this.isPunct("(")) {
      this.next();
      const inner = this.termIn(true);
      this.expect(")");
      return inner;
    }
    if (this.isPunct("[")) return this.arrayOrComprehension();
    if (this.isPunct("{")) return this.braceTerm();
    if (t.type === "ident") {
      switch (t.text) {
        case "null":
          this.next();
          return { type: "null", loc };
        case "true":
        case "false":
          this.next();
          return { type: "boolean", value: t.text === "true", loc };
        case "set":
          if (this.isPunct("(", this.peek()) && this.isPunct(")", this.peek(2))) {
            this.next();
            this.next();
            this.next();
            return { type: "set", items: [], loc };
          }
          break;
        default:
          // `contains` is only a keyword in rule heads; `contains(s, sub)` stays the builtin call.
          if (t.text === "contains" && this.isPunct("(", this.peek()) && !this.peek().ws) break;
          if (KEYWORDS.has(t.text)) this.fail(`unexpected keyword ${t.text}`);
      }
      this.next();
      if (t.text === "_") return { type: "var", name: `$_${this.wildcards++}`, loc };
      return { type: "var", name: t.text, loc };
    }
    return this.fail(`unexpected ${describe(t)}`);
  }

  /** Ref selectors and calls following an operand: `.name`, `[term]`, `(args)`. */
  private postfix(head: Term): Term {
    let cur = head;
    for (;;) {
      if (this.isPunct(".") && !this.tok.ws && this.peek().type === "ident" && !this.peek().ws) {
        this.next();
        const n = this.next();
        cur = appendRef(cur, { type: "string", value: n.text, loc: n.loc });
      } else if (this.isPunct("[") && !this.tok.ws) {
        this.next();
        const key = this.termIn(false);
        this.expect("]");
        cur = appendRef(cur, key);
      } else if (this.isPunct("(") && !this.tok.ws) {
        const operator = calleeName(cur);
        const open = this.next();
        const args: Term[] = [];
        while (!this.isPunct(")")) {
          args.push(this.termIn(false));
          if (this.isPunct(",")) this.next();
          else if (!this.isPunct(")")) this.fail(`expected , or ) in call, found ${describe(this.tok)}`);
        }
        this.next();
        void open;
        cur = { type: "call", operator, args, loc: cur.loc };
      } else break;
    }
    return cur;
  }

  private arrayOrComprehension(): Term {
    const open = this.next();
    const loc = open.loc;
    if (this.isPunct("]")) {
      this.next();
      return { type: "array", items: [] , loc };
    }
    const save = this.pos;
    const head = this.firstElement();
    if (this.isPunct("|")) {
      this.next();
      const body = this.query("]");
      return { type: "arraycomp", head, body, loc };
    }
    this.pos = save;
    const items = this.elements("]");
    return { type: "array", items, loc };
  }

  private braceTerm(): Term {
    const open = this.next();
    const loc = open.loc;
    if (this.isPunct("}")) {
      this.next();
      return { type: "object", entries: [], loc };
    }
    const save = this.pos;
    const first = this.firstElement();
    if (this.isPunct("|")) {
      this.next();
      const body = this.query("}");
      return { type: "setcomp", head: first, body, loc };
    }
    if (this.isPunct(":")) {
      this.next();
      const valSave = this.pos;
      const value = this.firstElement();
      if (this.isPunct("|")) {
        this.next();
        const body = this.query("}");
        return { type: "objectcomp", key: first, value, body, loc };
      }
      this.pos = valSave;
      const v = this.termIn(false);
      const entries: Array<[Term, Term]> = [[first, v]];
      while (this.isPunct(",")) {
        this.next();
        if (this.isPunct("}")) break;
        const k = this.termIn(false);
        this.expect(":");
        entries.push([k, this.termIn(false)]);
      }
      this.expect("}");
      return { type: "object", entries, loc };
    }
    this.pos = save;
    const items = this.elements("}");
    return { type: "set", items, loc };
  }

  /** Parses a collection's first element with `|` disabled, to detect comprehensions. */
  private firstElement(): Term {
    this.noOr++;
    try {
      return this.termIn(false);
    } finally {
      this.noOr--;
    }
  }

  private elements(close: string): Term[] {
    const items: Term[] = [];
    for (;;) {
      items.push(this.termIn(false));
      if (this.isPunct(",")) {
        this.next();
        if (this.isPunct(close)) break;
        continue;
      }
      break;
    }
    this.expect(close);
    return items;
  }
}

function appendRef(head: Term, key: Term): Term {
  if (head.type === "ref") return { type: "ref", head: head.head, path: [...head.path, key], loc: head.loc };
  return { type: "ref", head, path: [key], loc: head.loc };
}

/** The dotted name of a callee (`f`, `a.b.f`, `data.lib.f`); other callees are outside the subset. */
function calleeName(t: Term): string {
  if (t.type === "var") return t.name;
  if (t.type === "ref" && t.head.type === "var" && t.path.every((p) => p.type === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value))) {
    return [t.head.name, ...t.path.map((p) => (p as { value: string }).value)].join(".");
  }
  throw new RegoCompileError(t.loc, "unsupported call target (only names such as f, a.b.f)");
}

function describe(t: Token): string {
  if (t.type === "eof") return "end of file";
  if (t.type === "string") return `string ${JSON.stringify(t.text)}`;
  return `${t.type === "punct" ? "" : t.type + " "}${JSON.stringify(t.text)}`.trim();
}

export type { Location };
