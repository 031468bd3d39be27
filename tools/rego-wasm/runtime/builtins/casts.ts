// Deprecated cast_* builtins: identity on the right type (cast_array also turns a set into an array, cast_set an
// array into a set), undefined otherwise.
import { T_NULL, T_BOOLEAN, T_STRING, T_ARRAY, T_OBJECT, T_SET, tag, mkColl, collLen, collData, arrAt } from "../value";
import { setAdd } from "../collections";
import { typeErr } from "./mode";

export function rt_bi_cast_array(v: usize): usize {
  if (v == 0) return 0;
  if (tag(v) == T_ARRAY) return v;
  if (tag(v) == T_SET) {
    const n = collLen(v);
    const r = mkColl(T_ARRAY, n);
    memory.copy(collData(r), collData(v), <usize>n << 2);
    store<u32>(r, n, 4);
    return r;
  }
  return typeErr("cast_array", 1, "one of {array, set}", v);
}

export function rt_bi_cast_set(v: usize): usize {
  if (v == 0) return 0;
  if (tag(v) == T_SET) return v;
  if (tag(v) == T_ARRAY) {
    const r = mkColl(T_SET, collLen(v));
    const n = collLen(v);
    for (let i: u32 = 0; i < n; i++) setAdd(r, arrAt(v, i));
    return r;
  }
  return typeErr("cast_set", 1, "one of {array, set}", v);
}

function same(name: string, t: u32, expected: string, v: usize): usize {
  if (v == 0) return 0;
  return tag(v) == t ? v : typeErr(name, 1, expected, v);
}

export function rt_bi_cast_string(v: usize): usize {
  return same("cast_string", T_STRING, "string", v);
}
export function rt_bi_cast_boolean(v: usize): usize {
  return same("cast_boolean", T_BOOLEAN, "boolean", v);
}
export function rt_bi_cast_null(v: usize): usize {
  return same("cast_null", T_NULL, "null", v);
}
export function rt_bi_cast_object(v: usize): usize {
  return same("cast_object", T_OBJECT, "object", v);
}
