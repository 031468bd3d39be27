/**
 * Safety analysis, as OPA does it: which vars each expression needs bound and which it binds; bodies are
 * reordered so every expression follows the ones binding its inputs (repeated passes in source order), unsafe
 * vars are compile errors, and each scheduled expression records its `binds` (see program.ts). Runs on
 * resolved terms (unique local names per rule).
 */

import { Expr, Location, RegoCompileError, Term } from "./ast";
import {
  display,
  exprTerms,
  exprTermsDeep,
  findVarLoc,
  findVarLocInExpr,
  forEachClosure,
  groundKey,
  isGround,
  patternVarNames,
  termVarNames,
  uniq,
} from "./analyze-terms";

/** What safety needs from name resolution: the locals each closure (comprehension or every) owns. */
export interface SafetyCtx {
  owned: WeakMap<object, Set<string>>;
}

export function needsOfIn(t: Term, ctx: SafetyCtx): string[] {
  const out: string[] = [];
  collectIO(t, ctx, out, []);
  return out;
}

/** Splits a term's vars into needs (evaluated as values) and ref outputs (iteration keys). */
export function collectIO(t: Term, ctx: SafetyCtx, needs: string[], refOut: string[]): void {
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
export function patternOutputs(t: Term, safe: Set<string>): string[] {
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
export function patternNeeds(t: Term, ctx: SafetyCtx, needs: string[], refOut: string[]): void {
  if (t.type === "var") return;
  if (t.type === "array") t.items.forEach((i) => patternNeeds(i, ctx, needs, refOut));
  else if (t.type === "object") {
    t.entries.forEach(([k, v]) => {
      collectIO(k, ctx, needs, refOut);
      patternNeeds(v, ctx, needs, refOut);
    });
  } else collectIO(t, ctx, needs, refOut);
}

export interface ExprIO {
  /** Vars that must be bound before the expression runs (given the current safe set). */
  needs: Set<string>;
  /** Vars the expression binds. */
  outputs: string[];
}

export function unifyIO(l: Term, r: Term, safe: Set<string>, ctx: SafetyCtx): ExprIO {
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

export function unifyPair(l: Term, r: Term, bound: Set<string>, ctx: SafetyCtx, add: (vs: string[]) => void): void {
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

export function exprIO(e: Expr, safe: Set<string>, ctx: SafetyCtx): ExprIO {
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
        for (const t of exprTermsDeep(b)) {
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
export function orderBody(body: Expr[], safe0: Set<string>, ctx: SafetyCtx, loc: Location): { ordered: Expr[]; safeAfter: Set<string> } {
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

export function analyzeExprClosures(e: Expr, safe: Set<string>, ctx: SafetyCtx): void {
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

export function analyzeClosures(t: Term, safe: Set<string>, ctx: SafetyCtx): void {
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
