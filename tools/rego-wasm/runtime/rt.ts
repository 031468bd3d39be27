// Value operations exported to generated code (see CONTRACT.md). All take and return i32 value addresses;
// 0 is "undefined".
import { T_BOOLEAN, T_STRING, T_ARRAY, T_OBJECT, T_SET, tag, mkNull, mkBool, mkStrCopy, mkStrRef, mkColl, collLen, boolOf, arrAt, objKeyAt, objValAt } from "./value";
import { parseNumber, mkInt } from "./number";
import { arrPush, objInsert, objPut, setAdd, get, iterNext, copyShallow } from "./collections";
import { compare, equal } from "./compare";
import { abortLit, abortBuiltinBytes } from "./errors";
import { utf8Count } from "./utf8";

export function rt_null(): usize {
  return mkNull();
}

export function rt_boolean(b: i32): usize {
  return mkBool(b != 0);
}

export function rt_number_parse(addr: usize, len: i32): usize {
  return parseNumber(addr, <u32>len, true);
}

export function rt_number_i32(n: i32): usize {
  return mkInt(<i64>n);
}

export function rt_string(addr: usize, len: i32): usize {
  return mkStrCopy(addr, <u32>len);
}

/** No copy: for bytes that outlive every evaluation (the policy's static data segment). */
export function rt_string_static(addr: usize, len: i32): usize {
  return mkStrRef(addr, <u32>len);
}

export function rt_array_new(cap: i32): usize {
  return mkColl(T_ARRAY, <u32>cap);
}

export function rt_array_push(a: usize, v: usize): usize {
  arrPush(a, v);
  return a;
}

export function rt_object_new(): usize {
  return mkColl(T_OBJECT, 4);
}

export function rt_object_insert(o: usize, k: usize, v: usize): i32 {
  return objInsert(o, k, v) ? 1 : 0;
}

/** Insert or replace (no conflict check). */
export function rt_object_put(o: usize, k: usize, v: usize): usize {
  objPut(o, k, v);
  return o;
}

export function rt_set_new(): usize {
  return mkColl(T_SET, 4);
}

export function rt_set_add(s: usize, v: usize): usize {
  setAdd(s, v);
  return s;
}

export function rt_copy_shallow(v: usize): usize {
  return v == 0 ? 0 : copyShallow(v);
}

export function rt_get(c: usize, k: usize): usize {
  return get(c, k);
}

export function rt_iter_next(c: usize, prevKey: usize): usize {
  return iterNext(c, prevKey);
}

/**
 * Index-based iteration, cheaper than rt_iter_next (no key search): position after `pos` (-1 → first), or -1.
 * Use with rt_key_at / rt_value_at.
 */
export function rt_iter_pos(c: usize, pos: i32): i32 {
  if (c == 0) return -1;
  const t = tag(c);
  if (t != T_ARRAY && t != T_OBJECT && t != T_SET) return -1;
  const n = <i32>collLen(c);
  return pos + 1 < n ? pos + 1 : -1;
}

/** Key at position i: the index as a number for arrays, the key for objects, the element for sets. */
export function rt_key_at(c: usize, i: i32): usize {
  const t = tag(c);
  if (t == T_ARRAY) return mkInt(i);
  if (t == T_OBJECT) return objKeyAt(c, <u32>i);
  return arrAt(c, <u32>i);
}

/** Value at position i (for sets, the element itself). */
export function rt_value_at(c: usize, i: i32): usize {
  const t = tag(c);
  if (t == T_OBJECT) return objValAt(c, <u32>i);
  return arrAt(c, <u32>i);
}

export function rt_length(v: usize): i32 {
  if (v == 0) return -1;
  const t = tag(v);
  if (t == T_STRING) return <i32>utf8Count(load<u32>(v, 8), load<u32>(v, 4));
  if (t == T_ARRAY || t == T_OBJECT || t == T_SET) return <i32>collLen(v);
  return -1;
}

export function rt_type(v: usize): i32 {
  return v == 0 ? -1 : <i32>tag(v);
}

export function rt_is_false(v: usize): i32 {
  return v != 0 && tag(v) == T_BOOLEAN && !boolOf(v) ? 1 : 0;
}

/** 1 when v is defined and not false (a body expression's truth). */
export function rt_is_truthy(v: usize): i32 {
  return v != 0 && !(tag(v) == T_BOOLEAN && !boolOf(v)) ? 1 : 0;
}

export function rt_compare(a: usize, b: usize): i32 {
  return compare(a, b);
}

export function rt_equal(a: usize, b: usize): i32 {
  return equal(a, b) ? 1 : 0;
}

/** A copy of doc with v at key path pathArr (missing or non-object intermediate nodes become objects). */
export function rt_put_path(doc: usize, pathArr: usize, v: usize): usize {
  return putPath(doc, pathArr, 0, v);
}

function putPath(doc: usize, path: usize, i: u32, v: usize): usize {
  if (i >= collLen(path)) return v;
  const k = arrAt(path, i);
  const base = doc != 0 && tag(doc) == T_OBJECT ? copyShallow(doc) : mkColl(T_OBJECT, 1);
  objPut(base, k, putPath(get(base, k), path, i + 1, v));
  return base;
}

export function rt_abort_conflict(): void {
  abortLit("eval_conflict_error: complete rules must not produce multiple outputs");
}

export function rt_abort_object_conflict(): void {
  abortLit("eval_conflict_error: object keys must be unique");
}

export function rt_abort_function_conflict(): void {
  abortLit("eval_conflict_error: functions must not produce multiple outputs for same inputs");
}

export function rt_abort_builtin(nameAddr: usize, nameLen: i32, msgAddr: usize, msgLen: i32): void {
  abortBuiltinBytes(nameAddr, <u32>nameLen, msgAddr, <u32>msgLen);
}

