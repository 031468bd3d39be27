// Object, array and set builtins: object.get, object.keys, object.remove, object.union, array.concat,
// array.slice, union, intersection, and the membership operators behind `x in c` / `k, v in c`.
import { T_ARRAY, T_OBJECT, T_SET, T_NUMBER, tag, mkBool, mkColl, collLen, collData, arrAt, objKeyAt, objValAt } from "../value";
import { numAsI64, numLastI64 } from "../number";
import { setAdd, setHas, get, objGet, objPut, copyShallow, search } from "../collections";
import { equal } from "../compare";
import { typeErr, typeErrElem } from "./mode";

@inline function isT(v: usize, t: u32): bool {
  return v != 0 && tag(v) == t;
}

/** object.get(obj, key, default): key may be an array path into nested objects/arrays/sets. */
export function rt_bi_object_get(o: usize, k: usize, d: usize): usize {
  if (!isT(o, T_OBJECT)) return typeErr("object.get", 1, "object", o);
  if (k == 0 || d == 0) return 0;
  if (tag(k) != T_ARRAY) {
    const r = objGet(o, k);
    return r != 0 ? r : d;
  }
  let cur = o;
  const n = collLen(k);
  for (let i: u32 = 0; i < n; i++) {
    const t = tag(cur);
    if (t != T_OBJECT && t != T_ARRAY && t != T_SET) return d;
    cur = get(cur, arrAt(k, i));
    if (cur == 0) return d;
  }
  return cur;
}

export function rt_bi_object_keys(o: usize): usize {
  if (!isT(o, T_OBJECT)) return typeErr("object.keys", 1, "object", o);
  const n = collLen(o);
  // keys are already sorted and unique: the set is built by appending
  const r = mkColl(T_SET, n);
  for (let i: u32 = 0; i < n; i++) store<u32>(collData(r) + (<usize>i << 2), <u32>objKeyAt(o, i));
  store<u32>(r, n, 4);
  return r;
}

/** object.remove(obj, keys): keys an array, set or object (its keys). */
export function rt_bi_object_remove(o: usize, ks: usize): usize {
  if (!isT(o, T_OBJECT)) return typeErr("object.remove", 1, "object", o);
  if (ks == 0 || (tag(ks) != T_ARRAY && tag(ks) != T_SET && tag(ks) != T_OBJECT)) {
    return typeErr("object.remove", 2, "one of {array, object, set}", ks);
  }
  const r = mkColl(T_OBJECT, collLen(o));
  const n = collLen(o);
  const isObj = tag(ks) == T_OBJECT;
  for (let i: u32 = 0; i < n; i++) {
    const k = objKeyAt(o, i);
    let drop = false;
    if (isObj) drop = search(ks, k) >= 0;
    else if (tag(ks) == T_SET) drop = setHas(ks, k);
    else {
      const m = collLen(ks);
      for (let j: u32 = 0; j < m && !drop; j++) drop = equal(arrAt(ks, j), k);
    }
    if (!drop) objPut(r, k, objValAt(o, i));
  }
  return r;
}

/** object.union(a, b): b wins; nested objects merge recursively. */
export function rt_bi_object_union(a: usize, b: usize): usize {
  if (!isT(a, T_OBJECT)) return typeErr("object.union", 1, "object", a);
  if (!isT(b, T_OBJECT)) return typeErr("object.union", 2, "object", b);
  return mergeObjects(a, b);
}

function mergeObjects(a: usize, b: usize): usize {
  const r = copyShallow(a);
  const n = collLen(b);
  for (let i: u32 = 0; i < n; i++) {
    const k = objKeyAt(b, i);
    const bv = objValAt(b, i);
    const av = objGet(r, k);
    if (av != 0 && tag(av) == T_OBJECT && tag(bv) == T_OBJECT) objPut(r, k, mergeObjects(av, bv));
    else objPut(r, k, bv);
  }
  return r;
}

export function rt_bi_array_concat(a: usize, b: usize): usize {
  if (!isT(a, T_ARRAY)) return typeErr("array.concat", 1, "array", a);
  if (!isT(b, T_ARRAY)) return typeErr("array.concat", 2, "array", b);
  const na = collLen(a);
  const nb = collLen(b);
  const r = mkColl(T_ARRAY, na + nb);
  memory.copy(collData(r), collData(a), <usize>na << 2);
  memory.copy(collData(r) + (<usize>na << 2), collData(b), <usize>nb << 2);
  store<u32>(r, na + nb, 4);
  return r;
}

/** array.slice(a, start, stop): indices clamped to [0, len]; empty when start >= stop. */
export function rt_bi_array_slice(a: usize, s: usize, e: usize): usize {
  if (!isT(a, T_ARRAY)) return typeErr("array.slice", 1, "array", a);
  if (!isT(s, T_NUMBER)) return typeErr("array.slice", 2, "number", s);
  if (!isT(e, T_NUMBER)) return typeErr("array.slice", 3, "number", e);
  if (!numAsI64(s)) return typeErr("array.slice", 2, "integer", s);
  let start = numLastI64();
  if (!numAsI64(e)) return typeErr("array.slice", 3, "integer", e);
  let stop = numLastI64();
  const n = <i64>collLen(a);
  if (start < 0) start = 0;
  if (stop > n) stop = n;
  if (start >= stop) return mkColl(T_ARRAY, 0);
  const m = <u32>(stop - start);
  const r = mkColl(T_ARRAY, m);
  memory.copy(collData(r), collData(a) + (<usize>start << 2), <usize>m << 2);
  store<u32>(r, m, 4);
  return r;
}

/** union(set of sets). */
export function rt_bi_union(s: usize): usize {
  if (!isT(s, T_SET)) return typeErr("union", 1, "set", s);
  const r = mkColl(T_SET, 8);
  const n = collLen(s);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrAt(s, i);
    if (tag(x) != T_SET) return typeErrElem("union", 1, s, "set", x);
    const m = collLen(x);
    for (let j: u32 = 0; j < m; j++) setAdd(r, arrAt(x, j));
  }
  return r;
}

/** intersection(set of sets); the intersection of no sets is the empty set. */
export function rt_bi_intersection(s: usize): usize {
  if (!isT(s, T_SET)) return typeErr("intersection", 1, "set", s);
  const n = collLen(s);
  for (let i: u32 = 0; i < n; i++) if (tag(arrAt(s, i)) != T_SET) return typeErrElem("intersection", 1, s, "set", arrAt(s, i));
  const r = mkColl(T_SET, 8);
  if (n == 0) return r;
  const first = arrAt(s, 0);
  const m = collLen(first);
  for (let j: u32 = 0; j < m; j++) {
    const x = arrAt(first, j);
    let all = true;
    for (let i: u32 = 1; i < n && all; i++) all = setHas(arrAt(s, i), x);
    if (all) setAdd(r, x);
  }
  return r;
}

/** `x in c`: membership among array elements, set members or object values. */
export function rt_bi_internal_member_2(x: usize, c: usize): usize {
  if (x == 0 || c == 0) return 0;
  const t = tag(c);
  if (t == T_SET) return mkBool(setHas(c, x));
  if (t == T_ARRAY) {
    const n = collLen(c);
    for (let i: u32 = 0; i < n; i++) if (equal(arrAt(c, i), x)) return mkBool(true);
    return mkBool(false);
  }
  if (t == T_OBJECT) {
    const n = collLen(c);
    for (let i: u32 = 0; i < n; i++) if (equal(objValAt(c, i), x)) return mkBool(true);
    return mkBool(false);
  }
  return mkBool(false);
}

/** `k, v in c`: c[k] == v (for sets, k and v are both the member). */
export function rt_bi_internal_member_3(k: usize, v: usize, c: usize): usize {
  if (k == 0 || v == 0 || c == 0) return 0;
  const t = tag(c);
  if (t == T_SET) return mkBool(equal(k, v) && setHas(c, k));
  if (t == T_ARRAY || t == T_OBJECT) {
    const x = get(c, k);
    return mkBool(x != 0 && equal(x, v));
  }
  return mkBool(false);
}


export function rt_bi_array_reverse(a: usize): usize {
  if (!isT(a, T_ARRAY)) return typeErr("array.reverse", 1, "array", a);
  const n = collLen(a);
  const r = mkColl(T_ARRAY, n);
  for (let i: u32 = 0; i < n; i++) store<u32>(collData(r) + (<usize>i << 2), <u32>arrAt(a, n - 1 - i));
  store<u32>(r, n, 4);
  return r;
}

/** object.filter(obj, keys): only the keys listed (keys: array, set, or object whose keys count). */
export function rt_bi_object_filter(o: usize, ks: usize): usize {
  if (!isT(o, T_OBJECT)) return typeErr("object.filter", 1, "object", o);
  if (ks == 0 || (tag(ks) != T_ARRAY && tag(ks) != T_SET && tag(ks) != T_OBJECT)) {
    return typeErr("object.filter", 2, "one of {array, object, set}", ks);
  }
  const r = mkColl(T_OBJECT, 4);
  const n = collLen(o);
  for (let i: u32 = 0; i < n; i++) {
    const k = objKeyAt(o, i);
    let keep = false;
    if (tag(ks) == T_ARRAY) {
      const m = collLen(ks);
      for (let j: u32 = 0; j < m && !keep; j++) keep = equal(arrAt(ks, j), k);
    } else {
      keep = search(ks, k) >= 0;
    }
    if (keep) objPut(r, k, objValAt(o, i));
  }
  return r;
}

/** object.union_n(array of objects): left to right, later objects win, nested objects merge. */
export function rt_bi_object_union_n(a: usize): usize {
  if (!isT(a, T_ARRAY)) return typeErr("object.union_n", 1, "array", a);
  let r = mkColl(T_OBJECT, 4);
  const n = collLen(a);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrAt(a, i);
    if (tag(x) != T_OBJECT) return typeErrElem("object.union_n", 1, a, "object", x);
    r = mergeObjects(r, x);
  }
  return r;
}
