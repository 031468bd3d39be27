// Type predicates and type_name.
import { T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, tag, mkBool, mkStrLit } from "../value";
import { typeName } from "../errors";

// OPA's is_* builtins return false (not undefined) for other types.
export function rt_bi_is_null(v: usize): usize {
  return mkBool(v != 0 && tag(v) == T_NULL);
}
export function rt_bi_is_boolean(v: usize): usize {
  return mkBool(v != 0 && tag(v) == T_BOOLEAN);
}
export function rt_bi_is_number(v: usize): usize {
  return mkBool(v != 0 && tag(v) == T_NUMBER);
}
export function rt_bi_is_string(v: usize): usize {
  return mkBool(v != 0 && tag(v) == T_STRING);
}
export function rt_bi_is_array(v: usize): usize {
  return mkBool(v != 0 && tag(v) == T_ARRAY);
}
export function rt_bi_is_object(v: usize): usize {
  return mkBool(v != 0 && tag(v) == T_OBJECT);
}
export function rt_bi_is_set(v: usize): usize {
  return mkBool(v != 0 && tag(v) == T_SET);
}
export function rt_bi_type_name(v: usize): usize {
  if (v == 0) return 0;
  return mkStrLit(typeName(v));
}
