/**
 * Code generation: turns the analysed program into binaryen functions inside the linked runtime.
 *
 * Every expression is planned with a continuation that plans the rest of the body, so iteration wraps the rest
 * of the body in a loop and "undefined" is a `br` to the current failure label (the innermost loop's "next"
 * block, or the block around the whole body). Values are i32 addresses of runtime values (0 = undefined);
 * generated code only calls `rt_*` exports (see runtime/CONTRACT.md).
 */
import type { Expr, Location, Term } from "./ast";
import { RegoCompileError } from "./ast";
import type { AnalyzedRule, Program, RuleGroup } from "./program";
import type { DataNode, PlannedFunction } from "./planner";
import { Planner } from "./planner";
import type { Binaryen, LinkedModule, WasmModule } from "./link";
import { isGround } from "./analyze-terms";

type X = number;
/** A term, or a wasm local already holding a value (used when unifying a pattern against a computed value). */
type PTerm = Term | { type: "$local"; index: number; loc: Location };

const INPUT = 0;
const DATA = 1;
const MEMO_OFF = "memo_off";

class FnState {
  readonly vars: number[] = [];
  constructor(
    readonly nparams: number,
    private readonly i32: number,
  ) {}
  local(): number {
    this.vars.push(this.i32);
    return this.nparams + this.vars.length - 1;
  }
}

interface Ctx {
  fn: FnState;
  /** Rego var → wasm local holding its value. */
  bound: Map<string, number>;
  /** Label to `br` to when the current expression is undefined. */
  fail: string;
  /** Locals holding the current input and data (patched inside `with`). */
  input: number;
  data: number;
  /** > 0 inside `with`: rule calls must neither read nor write memoised results. */
  withDepth: number;
}

/** A rule replaced by `with data.… as v` in the current scope (locals hold the value and the saved global). */
interface Override {
  global: string;
  value: number;
  saved: number;
}

export interface GeneratedPolicy {
  entrypoints: Record<string, number>;
}

export interface CodeGenOptions {
  /** Builtin errors abort (OPA's strict-builtin-errors); see CompileOptions.strictBuiltinErrors. */
  strictBuiltinErrors?: boolean;
}

export class CodeGen {
  private readonly m: WasmModule;
  private readonly b: Binaryen;
  private readonly i32: number;
  private labelCount = 0;
  /** How often each local index was read by generated code: lets loops skip fetching unused keys/values. */
  private readonly readCounts = new Map<number, number>();
  /** Globals reset at each evaluation (memoised rule results and constant caches). */
  private readonly resetGlobals: string[] = [];
  private readonly constGlobals = new Map<string, string>();
  private readonly constBuilders = new Map<string, string>();
  private readonly planner: Planner;
  /** Rule groups some `with data.… as` replaces → the global holding the replacement (0 = not replaced). */
  private readonly overrideGlobals = new Map<string, string>();
  /** The rule group being generated (to reject a rule reading a virtual document that contains itself). */
  private currentGroup: RuleGroup | null = null;

  constructor(
    private readonly link: LinkedModule,
    readonly program: Program,
    private readonly options: CodeGenOptions = {},
  ) {
    this.m = link.module;
    this.b = link.binaryen;
    this.i32 = this.b.i32;
    this.planner = new Planner(program);
    this.m.addGlobal(MEMO_OFF, this.i32, true, this.m.i32.const(0));
    for (const g of program.rules.values()) for (const r of [...g.rules, ...(g.defaultRule ? [g.defaultRule] : [])]) this.scanWith(r);
  }

  /** Finds rules replaced by `with` anywhere, so their functions check an override global. */
  private scanWith(node: unknown): void {
    if (Array.isArray(node)) {
      for (const x of node) this.scanWith(x);
      return;
    }
    if (!node || typeof node !== "object") return;
    const rec = node as Record<string, unknown>;
    if (Array.isArray(rec.with)) {
      for (const w of rec.with as Array<{ target: Term }>) {
        const t = w.target;
        if (t.type !== "ref" || t.head.type !== "var" || t.head.name !== "data" || !t.path.every((p) => p.type === "string")) continue;
        const keys = t.path.map((p) => (p.type === "string" ? p.value : ""));
        const target = this.planner.resolve(keys);
        if (target.kind === "rule" && target.consumed === keys.length && target.group.kind !== "function"
          && !this.overrideGlobals.has(target.group.key)) {
          const g = `override:${target.group.key}`;
          this.m.addGlobal(g, this.i32, true, this.m.i32.const(0));
          this.resetGlobals.push(g);
          this.overrideGlobals.set(target.group.key, g);
        }
      }
    }
    for (const [key, v] of Object.entries(rec)) if (key !== "loc") this.scanWith(v);
  }

  /** Generates entrypoint functions, all reachable rules, and the `policy.*` functions the runtime imports. */
  generate(entrypoints: string[][]): GeneratedPolicy {
    const m = this.m;
    const eps: Record<string, number> = {};
    const epFns: string[] = [];
    entrypoints.forEach((p, i) => {
      if (this.planner.resolve(p).kind === "base") {
        // Like `opa build -e`: an entrypoint must name a rule or a package with rules, not plain base data.
        throw new RegoCompileError({ file: "<entrypoint>", line: 1, col: 1 },
          `entrypoint "${p.join("/")}" does not refer to a rule or package (entrypoint not supported)`);
      }
      const name = `entrypoint:${p.join("/")}`;
      const fn = new FnState(2, this.i32);
      const ctx = this.newCtx(fn, "ep_fail");
      const body = this.planDataRef(ctx, p.map((s) => strTerm(s)), (v) => m.return(v));
      m.addFunction(name, this.b.createType([this.i32, this.i32]), this.i32, fn.vars,
        m.block(null, [m.block("ep_fail", [body]), m.i32.const(0)], this.i32));
      eps[p.join("/")] = i;
      epFns.push(name);
    });
    for (let pf = this.planner.next(); pf; pf = this.planner.next()) this.genGroup(pf);

    // policy.eval_entrypoint: reset per-evaluation state, then dispatch. The runtime's builtin error mode is
    // an instance-wide flag: set it on every evaluation (opa_eval and the context path both come here), so
    // the compiled setting holds whatever ran before.
    const dispatch: X[] = this.resetGlobals.map((g) => m.global.set(g, m.i32.const(0)));
    dispatch.push(m.global.set(MEMO_OFF, m.i32.const(0)));
    dispatch.push(this.rtStmt("rt_set_strict", [m.i32.const(this.options.strictBuiltinErrors ? 1 : 0)]));
    epFns.forEach((name, i) => {
      dispatch.push(m.if(m.i32.eq(m.local.get(0, this.i32), m.i32.const(i)),
        m.return(m.call(name, [m.local.get(1, this.i32), m.local.get(2, this.i32)], this.i32))));
    });
    dispatch.push(m.i32.const(0));
    this.link.replaceImport("policy.eval_entrypoint", m.block(null, dispatch, this.i32));

    // policy.entrypoints: the {"pkg/rule": id} object.
    const fn = new FnState(0, this.i32);
    const obj = fn.local();
    const stmts: X[] = [m.local.set(obj, this.rt("rt_object_new", []))];
    for (const [name, id] of Object.entries(eps)) {
      stmts.push(this.rtStmt("rt_object_insert", [m.local.get(obj, this.i32), this.stringValue(name),
        this.rt("rt_number_i32", [m.i32.const(id)])]));
    }
    stmts.push(m.local.get(obj, this.i32));
    this.link.replaceImport("policy.entrypoints", m.block(null, stmts, this.i32), fn.vars);

    // policy.static_end must be generated last: nothing may be interned after it.
    this.link.replaceImport("policy.static_end", m.i32.const(this.link.staticEnd));
    return { entrypoints: eps };
  }

  // ---------------------------------------------------------------- helpers

  private label(): string {
    return `L${this.labelCount++}`;
  }

  private newCtx(fn: FnState, fail: string): Ctx {
    return { fn, bound: new Map(), fail, input: INPUT, data: DATA, withDepth: 0 };
  }

  private get(local: number): X {
    this.readCounts.set(local, (this.readCounts.get(local) ?? 0) + 1);
    return this.m.local.get(local, this.i32);
  }

  /** Runs `gen` and tells whether it read `local` (counts are per index, so a false "read" only costs speed). */
  private reads<T>(local: number, gen: () => T): { result: T; read: boolean } {
    const before = this.readCounts.get(local) ?? 0;
    const result = gen();
    return { result, read: (this.readCounts.get(local) ?? 0) !== before };
  }

  private rt(name: string, args: X[]): X {
    const f = this.link.runtime(name);
    if (!f) throw new Error(`internal error: runtime.wasm does not export ${name}`);
    return this.m.call(f.internal, args, f.result);
  }

  /** A runtime call used as a statement (its result, if any, dropped). */
  private rtStmt(name: string, args: X[]): X {
    const f = this.link.runtime(name);
    if (!f) throw new Error(`internal error: runtime.wasm does not export ${name}`);
    const c = this.m.call(f.internal, args, f.result);
    return f.result === this.b.none ? c : this.m.drop(c);
  }

  private abort(name: string): X {
    return this.m.block(null, [this.rtStmt(name, []), this.m.unreachable()]);
  }

  private failIfUndefined(ctx: Ctx, v: X): X {
    return this.m.br(ctx.fail, this.m.i32.eqz(v));
  }

  private seq(stmts: X[]): X {
    return stmts.length === 1 ? stmts[0] : this.m.block(null, stmts);
  }

  /** Evaluates `value` into a fresh local, fails when undefined, continues with the local. */
  private bindTemp(ctx: Ctx, value: X, k: (v: X) => X, mayBeUndefined = true): X {
    const t = ctx.fn.local();
    const stmts = [this.m.local.set(t, value)];
    if (mayBeUndefined) stmts.push(this.failIfUndefined(ctx, this.get(t)));
    stmts.push(k(this.get(t)));
    return this.seq(stmts);
  }

  // ---------------------------------------------------------------- constants

  private stringValue(s: string): X {
    const { addr, len } = this.link.intern(s);
    return this.rt("rt_string_static", [this.m.i32.const(addr), this.m.i32.const(len)]);
  }

  /** Builds a ground term fresh (no caching). */
  private buildConst(t: Term): X {
    const m = this.m;
    switch (t.type) {
      case "null":
        return this.rt("rt_null", []);
      case "boolean":
        return this.rt("rt_boolean", [m.i32.const(t.value ? 1 : 0)]);
      case "number": {
        if (/^-?\d{1,9}$/.test(t.raw)) return this.rt("rt_number_i32", [m.i32.const(parseInt(t.raw, 10))]);
        const { addr, len } = this.link.intern(t.raw);
        return this.rt("rt_number_parse", [m.i32.const(addr), m.i32.const(len)]);
      }
      case "string":
        return this.stringValue(t.value);
      case "array":
      case "set":
      case "object": {
        // Composite constants get a builder function of their own (it needs a local for the collection).
        const key = constKey(t);
        const existing = this.constBuilders.get(key);
        if (existing) return m.call(existing, [], this.i32);
        const name = `const_build:${this.constBuilders.size}`;
        this.constBuilders.set(key, name);
        const fn = new FnState(0, this.i32);
        const c = fn.local();
        const stmts: X[] = [];
        if (t.type === "array") {
          stmts.push(m.local.set(c, this.rt("rt_array_new", [m.i32.const(t.items.length)])));
          for (const it of t.items) stmts.push(this.rtStmt("rt_array_push", [this.get(c), this.constValue(it)]));
        } else if (t.type === "set") {
          stmts.push(m.local.set(c, this.rt("rt_set_new", [])));
          for (const it of t.items) stmts.push(this.rtStmt("rt_set_add", [this.get(c), this.constValue(it)]));
        } else {
          stmts.push(m.local.set(c, this.rt("rt_object_new", [])));
          for (const [k, v] of t.entries) {
            stmts.push(m.if(m.i32.eqz(this.rt("rt_object_insert", [this.get(c), this.constValue(k), this.constValue(v)])),
              this.abort("rt_abort_object_conflict")));
          }
        }
        stmts.push(this.get(c));
        m.addFunction(name, this.b.none, this.i32, fn.vars, m.block(null, stmts, this.i32));
        return m.call(name, [], this.i32);
      }
      default:
        throw new Error(`internal error: not a constant: ${t.type}`);
    }
  }

  /** A ground term's value, built once per evaluation and cached in a global. */
  private constValue(t: Term): X {
    const m = this.m;
    const key = constKey(t);
    let g = this.constGlobals.get(key);
    if (!g) {
      g = `const:${this.constGlobals.size}`;
      this.constGlobals.set(key, g);
      m.addGlobal(g, this.i32, true, m.i32.const(0));
      this.resetGlobals.push(g);
      // Declared first so nested constants get their own globals before this one's builder references them.
    }
    const build = this.buildConst(t);
    return m.block(null, [
      m.if(m.i32.eqz(m.global.get(g, this.i32)), m.global.set(g, build)),
      m.global.get(g, this.i32),
    ], this.i32);
  }

  // ---------------------------------------------------------------- rule groups

  private genGroup(pf: PlannedFunction): void {
    const m = this.m;
    const g = pf.group;
    this.currentGroup = g;
    const arity = g.kind === "function" ? (g.arity ?? 0) : 0;
    const fn = new FnState(2 + arity, this.i32);
    const r = fn.local();
    const stmts: X[] = [];
    const override = this.overrideGlobals.get(g.key);
    if (override) {
      stmts.push(m.if(m.global.get(override, this.i32), m.return(m.global.get(override, this.i32))));
    }
    // Functions remember their last call: a helper called once per element with the same (identical)
    // arguments, e.g. `f(lz)` inside `some b in lz.buckets`, is computed once. Values are immutable and the
    // heap is not reused within an evaluation, so equal addresses mean equal values.
    const last = g.kind === "function" && arity > 0 ? {
      valid: `fmemo:${g.key}:valid`, result: `fmemo:${g.key}:result`,
      args: Array.from({ length: arity }, (_, i) => `fmemo:${g.key}:arg${i}`),
    } : null;
    if (last) {
      for (const name of [last.valid, last.result, ...last.args]) m.addGlobal(name, this.i32, true, m.i32.const(0));
      this.resetGlobals.push(last.valid);
      let hit = m.i32.and(m.i32.eqz(m.global.get(MEMO_OFF, this.i32)), m.global.get(last.valid, this.i32));
      last.args.forEach((a, i) => {
        hit = m.i32.and(hit, m.i32.eq(m.global.get(a, this.i32), m.local.get(2 + i, this.i32)));
      });
      stmts.push(m.if(hit, m.return(m.global.get(last.result, this.i32))));
    }
    const memo = g.kind === "function" ? null : `memo:${g.key}`;
    if (memo) {
      m.addGlobal(memo, this.i32, true, m.i32.const(0));
      this.resetGlobals.push(memo);
      // -1 records "evaluated, undefined".
      stmts.push(m.if(m.i32.and(m.i32.eqz(m.global.get(MEMO_OFF, this.i32)), m.i32.ne(m.global.get(memo, this.i32), m.i32.const(0))),
        m.return(m.select(m.i32.eq(m.global.get(memo, this.i32), m.i32.const(-1)), m.i32.const(0), m.global.get(memo, this.i32)))));
    }
    if (g.kind === "set") stmts.push(m.local.set(r, this.rt("rt_set_new", [])));
    if (g.kind === "object") stmts.push(m.local.set(r, this.rt("rt_object_new", [])));
    const conflict = g.kind === "function" ? "rt_abort_function_conflict" : "rt_abort_conflict";

    for (const rule of g.rules) {
      stmts.push(this.genDefinition(fn, g, rule, r, conflict));
    }
    if (g.defaultRule) {
      const dv = g.defaultRule.value ?? trueTerm(g.defaultRule.loc);
      const fail = this.label();
      const ctx = this.newCtx(fn, fail);
      const code = this.planTerm(ctx, dv, (v) => m.local.set(r, v));
      stmts.push(m.if(m.i32.eqz(this.get(r)), m.block(fail, [code])));
    }
    if (memo) {
      stmts.push(m.if(m.i32.eqz(m.global.get(MEMO_OFF, this.i32)),
        m.global.set(memo, m.select(this.get(r), this.get(r), m.i32.const(-1)))));
    }
    if (last) {
      stmts.push(m.if(m.i32.eqz(m.global.get(MEMO_OFF, this.i32)), m.block(null, [
        m.global.set(last.valid, m.i32.const(1)),
        m.global.set(last.result, this.get(r)),
        ...last.args.map((a, i) => m.global.set(a, m.local.get(2 + i, this.i32))),
      ])));
    }
    stmts.push(this.get(r));
    const params = Array.from({ length: 2 + arity }, () => this.i32);
    m.addFunction(pf.name, this.b.createType(params), this.i32, fn.vars, m.block(null, stmts, this.i32));
  }

  /** One definition (with its else chain); its result goes into `r` with the group's conflict rule. */
  private genDefinition(fn: FnState, g: RuleGroup, rule: AnalyzedRule, r: number, conflict: string): X {
    const m = this.m;
    const chain = [{ body: rule.body, value: rule.value, loc: rule.loc }, ...rule.elseChain];
    const single = chain.length === 1 && g.kind !== "function";
    // With an else chain (or for functions) the definition's own result is collected first.
    const dres = single ? r : fn.local();
    const out: X[] = [];
    if (!single) out.push(m.local.set(dres, m.i32.const(0)));
    chain.forEach((el, j) => {
      const done = this.label();
      const fail = this.label();
      const ctx = this.newCtx(fn, fail);
      const code = this.bindArgs(ctx, g, rule, () => this.planBody(ctx, el.body, 0, () => {
        if (g.kind === "set") {
          return this.planTerm(ctx, rule.key ?? trueTerm(rule.loc), (v) => this.rtStmt("rt_set_add", [this.get(r), v]));
        }
        if (g.kind === "object") {
          const key = rule.key;
          if (!key) throw new RegoCompileError(rule.loc, "object rule without key");
          return this.planTerm(ctx, key, (kv) => this.planTerm(ctx, el.value ?? trueTerm(el.loc), (vv) =>
            m.if(m.i32.eqz(this.rt("rt_object_insert", [this.get(r), kv, vv])), this.abort("rt_abort_object_conflict"))));
        }
        const valueTerm = el.value ?? trueTerm(el.loc);
        return this.planTerm(ctx, valueTerm, (v) => {
          const assign = m.if(m.i32.eqz(this.get(dres)), m.local.set(dres, v),
            m.if(m.i32.eqz(this.rt("rt_equal", [this.get(dres), v])), this.abort(conflict)));
          // A constant value cannot conflict with itself: stop searching after the first solution.
          return isGround(valueTerm) ? m.block(null, [assign, m.br(done)]) : assign;
        });
      }));
      let block = m.block(done, [m.block(fail, [code])]);
      if (j > 0) block = m.if(m.i32.eqz(this.get(dres)), block);
      out.push(block);
    });
    if (!single) {
      out.push(m.if(this.get(dres), m.if(m.i32.eqz(this.get(r)), m.local.set(r, this.get(dres)),
        m.if(m.i32.eqz(this.rt("rt_equal", [this.get(r), this.get(dres)])), this.abort(conflict)))));
    }
    return m.block(null, out);
  }

  /** Function parameters: vars bind to the argument locals, other terms are patterns unified with them. */
  private bindArgs(ctx: Ctx, g: RuleGroup, rule: AnalyzedRule, k: () => X): X {
    if (g.kind !== "function" || !rule.args) return k();
    const args = rule.args;
    const step = (i: number): X => {
      if (i === args.length) return k();
      return this.unify(ctx, args[i], { type: "$local", index: 2 + i, loc: args[i].loc }, () => step(i + 1));
    };
    return step(0);
  }

  // ---------------------------------------------------------------- bodies and expressions

  private planBody(ctx: Ctx, body: Expr[], i: number, k: () => X): X {
    if (i === body.length) return k();
    return this.planExpr(ctx, body[i], () => this.planBody(ctx, body, i + 1, k));
  }

  private planExpr(ctx: Ctx, e: Expr, k: () => X): X {
    if (e.with.length > 0) return this.planWith(ctx, e, 0, k);
    return this.planNegation(ctx, e, k);
  }

  private planNegation(ctx: Ctx, e: Expr, k: () => X): X {
    if (!e.negated) return this.planPositive(ctx, e, k);
    const m = this.m;
    const outerFail = ctx.fail;
    const snapshot = new Map(ctx.bound);
    const inner = this.label();
    ctx.fail = inner;
    // The inner expression succeeding makes `not` fail.
    const code = this.planPositive(ctx, e, () => m.br(outerFail));
    ctx.fail = outerFail;
    ctx.bound = snapshot;
    return m.block(null, [m.block(inner, [code]), k()]);
  }

  private planWith(ctx: Ctx, e: Expr, i: number, k: () => X,
    outer = { input: ctx.input, data: ctx.data, withDepth: ctx.withDepth }, overrides: Override[] = []): X {
    const m = this.m;
    if (i === e.with.length) {
      return this.planNegation(ctx, e, () => {
        // The rest of the body runs outside the `with` scope.
        const inner = { input: ctx.input, data: ctx.data, withDepth: ctx.withDepth };
        Object.assign(ctx, outer);
        if (overrides.length === 0) {
          const code = k();
          Object.assign(ctx, inner);
          return code;
        }
        // Replaced rules are restored while the continuation runs and replaced again before the expression
        // looks for its next solution (the continuation's failure comes back through `kfail`).
        const innerFail = ctx.fail;
        const kfail = this.label();
        ctx.fail = kfail;
        const restore = [...overrides].reverse().map((o) => m.global.set(o.global, this.get(o.saved)));
        const code = k();
        ctx.fail = innerFail;
        Object.assign(ctx, inner);
        return m.block(null, [
          m.block(kfail, [...restore, code]),
          ...overrides.map((o) => m.global.set(o.global, this.get(o.value))),
          m.br(innerFail),
        ]);
      });
    }
    const w = e.with[i];
    const target = w.target;
    if (target.type !== "ref" || target.head.type !== "var" || (target.head.name !== "input" && target.head.name !== "data")) {
      throw new RegoCompileError(w.loc, "with: only `input` and `data` targets are supported");
    }
    const keys: string[] = [];
    for (const p of target.path) {
      if (p.type !== "string") throw new RegoCompileError(w.loc, "with: target path must be constant");
      keys.push(p.value);
    }
    const isInput = target.head.name === "input";
    if (!isInput) {
      const t = this.planner.resolve(keys);
      if (t.kind === "rule" && t.consumed === keys.length && t.group.kind !== "function") {
        return this.planRuleOverride(ctx, e, i, k, outer, overrides, t.group);
      }
      if (t.kind !== "base") {
        throw new RegoCompileError(w.loc, t.kind === "rule" && t.group.kind === "function"
          ? "with: replacing functions is not supported by the built-in compiler"
          : "with: replacing part of a rule's value or a whole package is not supported by the built-in compiler");
      }
    }
    return this.planTerm(ctx, w.value, (v) => {
      const patched = ctx.fn.local();
      const doc = isInput ? ctx.input : ctx.data;
      const value = keys.length === 0 ? v
        : this.rt("rt_put_path", [this.get(doc), this.constValue(arrayOfStrings(keys, w.loc)), v]);
      const saved = { input: ctx.input, data: ctx.data, withDepth: ctx.withDepth };
      if (isInput) ctx.input = patched;
      else ctx.data = patched;
      ctx.withDepth++;
      const code = this.planWith(ctx, e, i + 1, k, outer, overrides);
      Object.assign(ctx, saved);
      return m.block(null, [m.local.set(patched, value), code]);
    });
  }

  /**
   * `with data.pkg.rule as v`: the rule's function returns the override global while it is set. The global is
   * set on entering the expression, restored when the expression fails and while the continuation runs.
   */
  private planRuleOverride(ctx: Ctx, e: Expr, i: number, k: () => X,
    outer: { input: number; data: number; withDepth: number }, overrides: Override[], group: RuleGroup): X {
    const m = this.m;
    const global = this.overrideGlobals.get(group.key);
    if (!global) throw new Error(`internal error: no override global for ${group.key}`);
    return this.planTerm(ctx, e.with[i].value, (v) => {
      const o: Override = { global, value: ctx.fn.local(), saved: ctx.fn.local() };
      const outerFail = ctx.fail;
      const fail = this.label();
      ctx.fail = fail;
      ctx.withDepth++;
      const code = this.planWith(ctx, e, i + 1, k, outer, [...overrides, o]);
      ctx.withDepth--;
      ctx.fail = outerFail;
      return m.block(null, [
        m.local.set(o.value, v),
        m.local.set(o.saved, m.global.get(global, this.i32)),
        m.block(fail, [m.global.set(global, this.get(o.value)), code]),
        m.global.set(global, this.get(o.saved)),
        m.br(outerFail),
      ]);
    });
  }

  private planPositive(ctx: Ctx, e: Expr, k: () => X): X {
    const kind = e.kind;
    switch (kind.type) {
      case "term": {
        const t = kind.term;
        if (t.type === "call" && COMPARISONS.has(t.operator) && t.args.length === 2) {
          // Comparisons as tests branch directly instead of materialising a boolean.
          return this.planTerms(ctx, t.args, 0, [], (vs) =>
            this.m.block(null, [this.m.br(ctx.fail, this.m.i32.eqz(this.compare(t.operator, vs[0], vs[1]))), k()]));
        }
        return this.planTerm(ctx, kind.term, (v) =>
          this.m.block(null, [this.m.br(ctx.fail, this.rt("rt_is_false", [v])), k()]));
      }
      case "unify":
      case "assign":
        return this.unify(ctx, kind.left, kind.right, k);
      case "some-decl":
        return k();
      case "some-in":
        return this.planTerm(ctx, kind.collection, (coll) => this.iterate(ctx, coll, (key, v) =>
          this.unify(ctx, kind.value, { type: "$local", index: v, loc: e.loc }, () =>
            kind.key ? this.unify(ctx, kind.key, { type: "$local", index: key, loc: e.loc }, k) : k())));
      case "every":
        return this.planEvery(ctx, e, kind, k);
    }
  }

  private planEvery(ctx: Ctx, e: Expr, kind: Extract<Expr["kind"], { type: "every" }>, k: () => X): X {
    const m = this.m;
    return this.planTerm(ctx, kind.collection, (coll) => {
      const outerFail = ctx.fail;
      const snapshot = new Map(ctx.bound);
      const pos = ctx.fn.local();
      const key = ctx.fn.local();
      const v = ctx.fn.local();
      const done = this.label();
      const loop = this.label();
      const next = this.label();
      const bodyFail = this.label();
      ctx.fail = bodyFail;
      const usesKey = this.reads(key, () => this.unify(ctx, kind.value, { type: "$local", index: v, loc: e.loc }, () => {
        const rest = (): X => this.planBody(ctx, kind.body, 0, () => m.br(next));
        return kind.key ? this.unify(ctx, kind.key, { type: "$local", index: key, loc: e.loc }, rest) : rest();
      }));
      const inner = usesKey.result;
      ctx.fail = outerFail;
      ctx.bound = snapshot;
      return m.block(null, [
        m.block(done, [
          m.local.set(pos, m.i32.const(-1)),
          m.loop(loop, m.block(null, [
            m.local.set(pos, this.rt("rt_iter_pos", [coll, this.get(pos)])),
            m.br(done, m.i32.eq(this.get(pos), m.i32.const(-1))),
            usesKey.read ? m.local.set(key, this.rt("rt_key_at", [coll, this.get(pos)])) : m.nop(),
            m.local.set(v, this.rt("rt_value_at", [coll, this.get(pos)])),
            // A counterexample (the body undefined for this element) makes `every` fail.
            m.block(next, [m.block(bodyFail, [inner]), m.br(outerFail)]),
            m.br(loop),
          ])),
        ]),
        k(),
      ]);
    });
  }

  /**
   * Loops over a collection (index-based: no key search per step); `body` gets locals holding the key and the
   * value and is planned with the loop's "next" block as failure label.
   */
  private iterate(ctx: Ctx, coll: X, body: (keyLocal: number, valueLocal: number) => X): X {
    const m = this.m;
    const pos = ctx.fn.local();
    const key = ctx.fn.local();
    const val = ctx.fn.local();
    const done = this.label();
    const loop = this.label();
    const next = this.label();
    const outerFail = ctx.fail;
    ctx.fail = next;
    const usesVal = this.reads(val, () => this.reads(key, () => body(key, val)));
    const usesKey = usesVal.result;
    const inner = usesKey.result;
    ctx.fail = outerFail;
    // Keys or values the body never reads (`some x in xs`, `xs[_]`) are not fetched.
    const fetch: X[] = [];
    if (usesKey.read) fetch.push(m.local.set(key, this.rt("rt_key_at", [coll, this.get(pos)])));
    if (usesVal.read) fetch.push(m.local.set(val, this.rt("rt_value_at", [coll, this.get(pos)])));
    return m.block(done, [
      m.local.set(pos, m.i32.const(-1)),
      m.loop(loop, m.block(null, [
        m.local.set(pos, this.rt("rt_iter_pos", [coll, this.get(pos)])),
        m.br(done, m.i32.eq(this.get(pos), m.i32.const(-1))),
        ...fetch,
        m.block(next, [inner]),
        m.br(loop),
      ])),
    ]);
  }

  // ---------------------------------------------------------------- unification

  private isUnboundVar(ctx: Ctx, t: PTerm): t is Extract<Term, { type: "var" }> {
    return t.type === "var" && !ctx.bound.has(t.name);
  }

  /** True when a term is a pattern with vars still to bind (arrays/objects of vars). */
  private hasUnbound(ctx: Ctx, t: PTerm): boolean {
    switch (t.type) {
      case "var":
        return !ctx.bound.has(t.name);
      case "array":
        return t.items.some((x) => this.hasUnbound(ctx, x));
      case "object":
        return t.entries.some(([, v]) => this.hasUnbound(ctx, v));
      default:
        return false;
    }
  }

  private bindVar(ctx: Ctx, name: string, v: X, k: () => X): X {
    if (name.startsWith("$_")) return k();
    const local = ctx.fn.local();
    const set = this.m.local.set(local, v);
    ctx.bound.set(name, local);
    return this.m.block(null, [set, k()]);
  }

  private unify(ctx: Ctx, a: PTerm, b: PTerm, k: () => X): X {
    const m = this.m;
    if (this.isUnboundVar(ctx, a)) {
      const name = a.name;
      if (this.isUnboundVar(ctx, b)) throw new RegoCompileError(a.loc, `var ${name} is unsafe`);
      return this.planTerm(ctx, b, (v) => this.bindVar(ctx, name, v, k));
    }
    if (this.isUnboundVar(ctx, b)) return this.unify(ctx, b, a, k);
    if (a.type === "array" && this.hasUnbound(ctx, a)) return this.unifyArray(ctx, a, b, k);
    if (b.type === "array" && this.hasUnbound(ctx, b)) return this.unifyArray(ctx, b, a, k);
    if (a.type === "object" && this.hasUnbound(ctx, a)) return this.unifyObject(ctx, a, b, k);
    if (b.type === "object" && this.hasUnbound(ctx, b)) return this.unifyObject(ctx, b, a, k);
    return this.planTerm(ctx, a, (va) => this.planTerm(ctx, b, (vb) =>
      m.block(null, [m.br(ctx.fail, m.i32.eqz(this.rt("rt_equal", [va, vb]))), k()])));
  }

  private unifyArray(ctx: Ctx, pattern: Extract<Term, { type: "array" }>, other: PTerm, k: () => X): X {
    const m = this.m;
    const n = pattern.items.length;
    if (other.type === "array") {
      if (other.items.length !== n) return m.br(ctx.fail);
      return this.unifyPairs(ctx, pattern.items.map((x, i) => [x, other.items[i]]), k);
    }
    return this.planTerm(ctx, other, (v) => {
      const stmts: X[] = [
        m.br(ctx.fail, m.i32.ne(this.rt("rt_type", [v]), m.i32.const(4))),
        m.br(ctx.fail, m.i32.ne(this.rt("rt_length", [v]), m.i32.const(n))),
      ];
      const locals = pattern.items.map((_, i) => {
        const l = ctx.fn.local();
        stmts.push(m.local.set(l, this.rt("rt_get", [v, this.rt("rt_number_i32", [m.i32.const(i)])])));
        return l;
      });
      const step = (i: number): X =>
        i === n ? k() : this.unify(ctx, pattern.items[i], { type: "$local", index: locals[i], loc: pattern.loc }, () => step(i + 1));
      stmts.push(step(0));
      return m.block(null, stmts);
    });
  }

  /**
   * Unifies pairs of terms, each step taking a pair where at most one side still has unbound vars, so a var
   * bound by one pair can be read by another regardless of source order.
   */
  private unifyPairs(ctx: Ctx, pairs: Array<[PTerm, PTerm]>, k: () => X): X {
    if (pairs.length === 0) return k();
    let i = pairs.findIndex(([a, b]) => !(this.hasUnbound(ctx, a) && this.hasUnbound(ctx, b)));
    if (i < 0) i = 0;
    const rest = pairs.filter((_, j) => j !== i);
    return this.unify(ctx, pairs[i][0], pairs[i][1], () => this.unifyPairs(ctx, rest, k));
  }

  private unifyObject(ctx: Ctx, pattern: Extract<Term, { type: "object" }>, other: PTerm, k: () => X): X {
    const m = this.m;
    const n = pattern.entries.length;
    for (const [key] of pattern.entries) {
      if (this.hasUnbound(ctx, key)) throw new RegoCompileError(key.loc, "object pattern keys must be bound");
    }
    if (other.type === "object" && other.entries.every(([key]) => isGround(key)) && pattern.entries.every(([key]) => isGround(key))) {
      // Two object literals with constant keys: the key sets must match, then values unify pairwise.
      const mine = new Map(pattern.entries.map(([key, v]) => [constKey(key), v]));
      if (other.entries.length !== n || other.entries.some(([key]) => !mine.has(constKey(key)))) return m.br(ctx.fail);
      return this.unifyPairs(ctx, other.entries.map(([key, v]) => [mine.get(constKey(key)) as Term, v]), k);
    }
    return this.planTerm(ctx, other, (v) => {
      const head: X[] = [
        m.br(ctx.fail, m.i32.ne(this.rt("rt_type", [v]), m.i32.const(5))),
        m.br(ctx.fail, m.i32.ne(this.rt("rt_length", [v]), m.i32.const(n))),
      ];
      const step = (i: number): X => {
        if (i === n) return k();
        const [key, val] = pattern.entries[i];
        return this.planTerm(ctx, key, (kv) => this.bindTemp(ctx, this.rt("rt_get", [v, kv]), (ev) => {
          const l = ctx.fn.local();
          return m.block(null, [m.local.set(l, ev),
            this.unify(ctx, val, { type: "$local", index: l, loc: val.loc }, () => step(i + 1))]);
        }));
      };
      head.push(step(0));
      return m.block(null, head);
    });
  }

  // ---------------------------------------------------------------- terms

  /** Plans a term's value; `k` receives a cheap, side-effect-free expression (a local.get or a cached constant). */
  private planTerm(ctx: Ctx, t: PTerm, k: (v: X) => X): X {
    const m = this.m;
    switch (t.type) {
      case "$local":
        return k(this.get(t.index));
      case "null":
      case "boolean":
      case "number":
      case "string":
        return this.bindTemp(ctx, this.constValue(t), k, false);
      case "var": {
        const l = ctx.bound.get(t.name);
        if (l === undefined) {
          if (t.name === "input") return this.planRef(ctx, { type: "ref", head: t, path: [], loc: t.loc }, k);
          if (t.name === "data") return this.planRef(ctx, { type: "ref", head: t, path: [], loc: t.loc }, k);
          throw new RegoCompileError(t.loc, `var ${t.name.startsWith("$_") ? "_" : t.name} is unsafe`);
        }
        return k(this.get(l));
      }
      case "ref":
        return this.planRef(ctx, t, k);
      case "array":
      case "set":
      case "object": {
        if (isGround(t)) return this.bindTemp(ctx, this.constValue(t), k, false);
        if (t.type === "object") {
          const flat: Term[] = [];
          for (const [a, b] of t.entries) flat.push(a, b);
          return this.planTerms(ctx, flat, 0, [], (vs) => {
            const c = ctx.fn.local();
            const stmts: X[] = [m.local.set(c, this.rt("rt_object_new", []))];
            for (let i = 0; i < vs.length; i += 2) {
              stmts.push(m.if(m.i32.eqz(this.rt("rt_object_insert", [this.get(c), vs[i], vs[i + 1]])),
                this.abort("rt_abort_object_conflict")));
            }
            stmts.push(k(this.get(c)));
            return m.block(null, stmts);
          });
        }
        const isArray = t.type === "array";
        return this.planTerms(ctx, t.items, 0, [], (vs) => {
          const c = ctx.fn.local();
          const stmts: X[] = [m.local.set(c, isArray ? this.rt("rt_array_new", [m.i32.const(vs.length)]) : this.rt("rt_set_new", []))];
          for (const v of vs) stmts.push(this.rtStmt(isArray ? "rt_array_push" : "rt_set_add", [this.get(c), v]));
          stmts.push(k(this.get(c)));
          return m.block(null, stmts);
        });
      }
      case "arraycomp":
      case "setcomp":
      case "objectcomp":
        return this.planComprehension(ctx, t, k);
      case "call":
        return this.planCall(ctx, t, k);
    }
  }

  private planTerms(ctx: Ctx, ts: Term[], i: number, acc: X[], k: (vs: X[]) => X): X {
    if (i === ts.length) return k(acc);
    return this.planTerm(ctx, ts[i], (v) => this.planTerms(ctx, ts, i + 1, [...acc, v], k));
  }

  private planComprehension(ctx: Ctx, t: Extract<Term, { type: "arraycomp" | "setcomp" | "objectcomp" }>, k: (v: X) => X): X {
    const m = this.m;
    const c = ctx.fn.local();
    const init = t.type === "arraycomp" ? this.rt("rt_array_new", [m.i32.const(0)])
      : t.type === "setcomp" ? this.rt("rt_set_new", []) : this.rt("rt_object_new", []);
    const snapshot = new Map(ctx.bound);
    const outerFail = ctx.fail;
    const fail = this.label();
    ctx.fail = fail;
    // Falling off the end of the continuation moves on to the next solution: every solution is collected.
    const body = this.planBody(ctx, t.body, 0, () => {
      if (t.type === "objectcomp") {
        return this.planTerm(ctx, t.key, (kv) => this.planTerm(ctx, t.value, (vv) =>
          m.if(m.i32.eqz(this.rt("rt_object_insert", [this.get(c), kv, vv])), this.abort("rt_abort_object_conflict"))));
      }
      return this.planTerm(ctx, t.head, (hv) =>
        this.rtStmt(t.type === "arraycomp" ? "rt_array_push" : "rt_set_add", [this.get(c), hv]));
    });
    ctx.fail = outerFail;
    ctx.bound = snapshot;
    return m.block(null, [m.local.set(c, init), m.block(fail, [body]), k(this.get(c))]);
  }

  /** i32 0/1 for a comparison operator (Rego's total order across types). */
  private compare(op: string, a: X, b: X): X {
    const m = this.m;
    if (op === "equal") return this.rt("rt_equal", [a, b]);
    if (op === "neq") return m.i32.eqz(this.rt("rt_equal", [a, b]));
    const c = this.rt("rt_compare", [a, b]);
    const zero = m.i32.const(0);
    if (op === "lt") return m.i32.lt_s(c, zero);
    if (op === "lte") return m.i32.le_s(c, zero);
    if (op === "gt") return m.i32.gt_s(c, zero);
    return m.i32.ge_s(c, zero);
  }

  private callRule(ctx: Ctx, fnName: string, args: X[]): X {
    const m = this.m;
    const call = m.call(fnName, [this.get(ctx.input), this.get(ctx.data), ...args], this.i32);
    if (ctx.withDepth === 0) return call;
    // Inside `with` the callee sees patched documents: memoised results must not be read or written.
    const t = ctx.fn.local();
    return m.block(null, [
      m.global.set(MEMO_OFF, m.i32.add(m.global.get(MEMO_OFF, this.i32), m.i32.const(1))),
      m.local.set(t, call),
      m.global.set(MEMO_OFF, m.i32.sub(m.global.get(MEMO_OFF, this.i32), m.i32.const(1))),
      this.get(t),
    ], this.i32);
  }

  private planCall(ctx: Ctx, t: Extract<Term, { type: "call" }>, k: (v: X) => X): X {
    const op = t.operator;
    if (op.startsWith("data.")) {
      const key = op.slice(5);
      const group = this.program.rules.get(key);
      if (!group || group.kind !== "function") throw new RegoCompileError(t.loc, `undefined function ${op}`);
      if ((group.arity ?? 0) !== t.args.length) {
        throw new RegoCompileError(t.loc, `function ${op} expects ${group.arity ?? 0} arguments, got ${t.args.length}`);
      }
      const pf = this.planner.functionFor(group);
      return this.planTerms(ctx, t.args, 0, [], (vs) => this.bindTemp(ctx, this.callRule(ctx, pf.name, vs), k));
    }
    if (COMPARISONS.has(op) && t.args.length === 2) {
      return this.planTerms(ctx, t.args, 0, [], (vs) =>
        this.bindTemp(ctx, this.rt("rt_boolean", [this.compare(op, vs[0], vs[1])]), k, false));
    }
    const rtName = `rt_bi_${op.replace(/\./g, "_")}`;
    const f = this.link.runtime(rtName);
    if (!f) throw new RegoCompileError(t.loc, `builtin ${op} is not supported by the built-in compiler`);
    if (op === "print") {
      // print is variadic (the runtime takes one array of the operands) and, like OPA, prints undefined
      // operands as <undefined> instead of failing: each operand contributes its first value or 0.
      const m = this.m;
      const arr = ctx.fn.local();
      const stmts: X[] = [m.local.set(arr, this.rt("rt_array_new", [m.i32.const(t.args.length)]))];
      for (const a of t.args) {
        const v = ctx.fn.local();
        const done = this.label();
        const fail = this.label();
        const snapshot = new Map(ctx.bound);
        const outerFail = ctx.fail;
        ctx.fail = fail;
        const code = this.planTerm(ctx, a, (x) => m.block(null, [m.local.set(v, x), m.br(done)]));
        ctx.fail = outerFail;
        ctx.bound = snapshot;
        stmts.push(m.local.set(v, m.i32.const(0)), m.block(done, [m.block(fail, [code])]),
          this.rtStmt("rt_array_push", [this.get(arr), this.get(v)]));
      }
      stmts.push(this.bindTemp(ctx, this.rt(rtName, [this.get(arr)]), k));
      return m.block(null, stmts);
    }
    if (f.params.length !== t.args.length) {
      throw new RegoCompileError(t.loc, `${op}: expects ${f.params.length} arguments, got ${t.args.length}`);
    }
    return this.planTerms(ctx, t.args, 0, [], (vs) => this.bindTemp(ctx, this.rt(rtName, vs), k));
  }

  // ---------------------------------------------------------------- references

  private planRef(ctx: Ctx, t: Extract<Term, { type: "ref" }>, k: (v: X) => X): X {
    const head = t.head;
    if (head.type === "var" && !ctx.bound.has(head.name)) {
      if (head.name === "data") return this.planDataRef(ctx, t.path, k, t.loc);
      if (head.name === "input") {
        return this.m.block(null, [this.failIfUndefined(ctx, this.get(ctx.input)), this.walk(ctx, this.get(ctx.input), t.path, 0, k)]);
      }
      throw new RegoCompileError(head.loc, `var ${head.name} is unsafe`);
    }
    return this.planTerm(ctx, head, (base) => this.walk(ctx, base, t.path, 0, k));
  }

  /** Looks up path[i..] below `base`; unbound vars in key position iterate. */
  private walk(ctx: Ctx, base: X, path: Term[], i: number, k: (v: X) => X, baseData = false): X {
    if (i === path.length) return k(base);
    const el = path[i];
    if (baseData && el.type === "number") {
      // Base documents come from JSON, where object keys are strings: OPA lets `data.x[2]` read key "2".
      const m = this.m;
      const t = ctx.fn.local();
      return m.block(null, [
        m.local.set(t, this.rt("rt_get", [base, this.constValue(el)])),
        m.if(m.i32.eqz(this.get(t)), m.local.set(t, this.rt("rt_get", [base, this.constValue({ type: "string", value: el.raw, loc: el.loc })]))),
        this.failIfUndefined(ctx, this.get(t)),
        this.walk(ctx, this.get(t), path, i + 1, k, true),
      ]);
    }
    if (this.hasUnbound(ctx, el)) {
      return this.iterate(ctx, base, (key, v) =>
        this.unify(ctx, el, { type: "$local", index: key, loc: el.loc }, () => this.walk(ctx, this.get(v), path, i + 1, k, baseData)));
    }
    return this.planTerm(ctx, el, (kv) => this.bindTemp(ctx, this.rt("rt_get", [base, kv]), (v) => this.walk(ctx, v, path, i + 1, k, baseData)));
  }

  /** `data` followed by `path`: rules, virtual documents of packages, and base data. */
  private planDataRef(ctx: Ctx, path: Term[], k: (v: X) => X, loc: Location = path[0]?.loc ?? unknownLoc): X {
    // Documents under `data` have string keys; like OPA, a number literal in a data path names the key "2".
    const keys = path.map((p) => (p.type === "string" ? p.value : p.type === "number" ? p.raw : null));
    const target = this.planner.resolve(keys);
    const rest = path.slice(target.consumed);
    if (target.kind === "rule") {
      if (target.group.kind === "function") {
        throw new RegoCompileError(loc, `function data.${target.group.key} used as a value`);
      }
      const pf = this.planner.functionFor(target.group);
      return this.bindTemp(ctx, this.callRule(ctx, pf.name, []), (v) => this.walk(ctx, v, rest, 0, k));
    }
    if (target.kind === "base") return this.walk(ctx, this.get(ctx.data), path, 0, k, true);
    const prefix = keys.slice(0, target.consumed) as string[];
    const { stmts, local } = this.virtualDoc(ctx, target.node, prefix, loc);
    return this.m.block(null, [...stmts, this.walk(ctx, this.get(local), rest, 0, k)]);
  }

  /** Assembles the document at a package path: base data under the path, overlaid with its rules' values. */
  private virtualDoc(ctx: Ctx, node: DataNode, prefix: string[], loc: Location): { stmts: X[]; local: number } {
    const m = this.m;
    const obj = ctx.fn.local();
    let baseExpr = this.get(ctx.data);
    for (const seg of prefix) {
      const t = ctx.fn.local();
      baseExpr = m.block(null, [m.local.set(t, baseExpr),
        m.if(this.get(t), this.rt("rt_get", [this.get(t), this.constValue(strTerm(seg))]), m.i32.const(0))], this.i32);
    }
    const stmts: X[] = [
      m.local.set(obj, baseExpr),
      m.local.set(obj, m.if(m.i32.eq(this.rt("rt_type", [this.get(obj)]), m.i32.const(5)),
        this.rt("rt_copy_shallow", [this.get(obj)]), this.rt("rt_object_new", []))),
    ];
    for (const [name, child] of node.children) {
      let valueLocal: number;
      if (child.group) {
        if (child.group.kind === "function") continue;
        if (child.group === this.currentGroup) {
          throw new RegoCompileError(loc, `rule data.${child.group.key} is recursive: it reads a document that contains itself`);
        }
        const pf = this.planner.functionFor(child.group);
        valueLocal = ctx.fn.local();
        stmts.push(m.local.set(valueLocal, this.callRule(ctx, pf.name, [])));
      } else {
        const sub = this.virtualDoc(ctx, child, [...prefix, name], loc);
        stmts.push(...sub.stmts);
        valueLocal = sub.local;
      }
      stmts.push(m.if(this.get(valueLocal), this.rtStmt("rt_object_put", [this.get(obj), this.stringValue(name), this.get(valueLocal)])));
    }
    return { stmts, local: obj };
  }
}

const COMPARISONS = new Set(["equal", "neq", "lt", "lte", "gt", "gte"]);

const unknownLoc: Location = { file: "<entrypoint>", line: 1, col: 1 };

function strTerm(s: string): Term {
  return { type: "string", value: s, loc: unknownLoc };
}

function trueTerm(loc: Location): Term {
  return { type: "boolean", value: true, loc };
}

function arrayOfStrings(keys: string[], loc: Location): Term {
  return { type: "array", items: keys.map((s) => ({ type: "string", value: s, loc })), loc };
}


/** Identity of a ground term for constant sharing (type-tagged so "1" and 1 differ). */
function constKey(t: Term): string {
  switch (t.type) {
    case "null":
      return "n";
    case "boolean":
      return t.value ? "t" : "f";
    case "number":
      return `#${t.raw}`;
    case "string":
      return `s${JSON.stringify(t.value)}`;
    case "array":
      return `[${t.items.map(constKey).join(",")}]`;
    case "set":
      return `{${t.items.map(constKey).join(",")}}`;
    case "object":
      return `(${t.entries.map(([a, b]) => `${constKey(a)}:${constKey(b)}`).join(",")})`;
    default:
      return `?${t.type}`;
  }
}
