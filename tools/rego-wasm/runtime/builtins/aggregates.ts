// Aggregates: count, sum, product, max, min, sort, any, all.
import { T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, T_BOOLEAN, tag, mkBool, collLen, collData, arrAt, mkColl, boolOf } from "../value";
import { mkInt } from "../number";
import { compare } from "../compare";
import { sortSlots } from "../collections";
import { utf8Count } from "../utf8";
import { numAdd, numMul } from "./arith";
import { typeErr, typeErrElem } from "./mode";

@inline function isColl(v: usize): bool {
  return v != 0 && (tag(v) == T_ARRAY || tag(v) == T_SET);
}

export function rt_bi_count(v: usize): usize {
  if (v == 0) return 0;
  const t = tag(v);
  if (t == T_STRING) return mkInt(utf8Count(load<u32>(v, 8), load<u32>(v, 4)));
  if (t == T_ARRAY || t == T_OBJECT || t == T_SET) return mkInt(collLen(v));
  return typeErr("count", 1, "one of {array, object, set, string}", v);
}

export function rt_bi_sum(v: usize): usize {
  if (!isColl(v)) return typeErr("sum", 1, "one of {array, set}", v);
  let acc = mkInt(0);
  const n = collLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrAt(v, i);
    if (tag(x) != T_NUMBER) return typeErrElem("sum", 1, v, "number", x);
    acc = numAdd(acc, x);
  }
  return acc;
}

export function rt_bi_product(v: usize): usize {
  if (!isColl(v)) return typeErr("product", 1, "one of {array, set}", v);
  let acc = mkInt(1);
  const n = collLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrAt(v, i);
    if (tag(x) != T_NUMBER) return typeErrElem("product", 1, v, "number", x);
    acc = numMul(acc, x);
  }
  return acc;
}

/** max/min of any values in Rego order; undefined for an empty collection. */
function extreme(v: usize, sign: i32, name: string): usize {
  if (!isColl(v)) return typeErr(name, 1, "one of {array, set}", v);
  const n = collLen(v);
  if (n == 0) return 0;
  if (tag(v) == T_SET) return arrAt(v, sign > 0 ? n - 1 : 0);
  let best = arrAt(v, 0);
  for (let i: u32 = 1; i < n; i++) {
    const x = arrAt(v, i);
    if (compare(x, best) * sign > 0) best = x;
  }
  return best;
}

export function rt_bi_max(v: usize): usize {
  return extreme(v, 1, "max");
}

export function rt_bi_min(v: usize): usize {
  return extreme(v, -1, "min");
}

/** Sorted array of an array's or set's elements. */
export function rt_bi_sort(v: usize): usize {
  if (!isColl(v)) return typeErr("sort", 1, "one of {array, set}", v);
  const n = collLen(v);
  const r = mkColl(T_ARRAY, n);
  memory.copy(collData(r), collData(v), <usize>n << 2);
  store<u32>(r, n, 4);
  if (tag(v) == T_ARRAY) sortSlots(collData(r), n, 1);
  return r;
}

function anyAll(v: usize, wantAll: bool, name: string): usize {
  if (!isColl(v)) return typeErr(name, 1, "one of {array, set}", v);
  const n = collLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrAt(v, i);
    const t = tag(x) == T_BOOLEAN && boolOf(x);
    if (wantAll && !t) return mkBool(false);
    if (!wantAll && t) return mkBool(true);
  }
  return mkBool(wantAll);
}

export function rt_bi_any(v: usize): usize {
  return anyAll(v, false, "any");
}

export function rt_bi_all(v: usize): usize {
  return anyAll(v, true, "all");
}
