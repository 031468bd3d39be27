/**
 * Builtin functions the front end recognises, with their arity (number of Rego arguments, output excluded).
 * The table decides two things during analysis: whether a call names a builtin (otherwise it must be a user
 * function or it is "undefined function"), and whether a call carries an extra trailing output argument
 * (`split(s, ".", parts)` ≡ `parts = split(s, ".")`). Whether the runtime implements a builtin is the back
 * end's concern (it reports unsupported ones); listing a name here only makes it parse and resolve.
 * `variadic` builtins (print) take any number of arguments and have no output form.
 */

export interface BuiltinInfo {
  arity: number;
  variadic?: boolean;
  /** True for builtins whose result is not a value check but a side effect (print). */
  sideEffect?: boolean;
}

const A = (arity: number): BuiltinInfo => ({ arity });

export const BUILTINS: Record<string, BuiltinInfo> = {
  // operators
  plus: A(2), minus: A(2), mul: A(2), div: A(2), rem: A(2), and: A(2), or: A(2),
  equal: A(2), neq: A(2), lt: A(2), lte: A(2), gt: A(2), gte: A(2),
  "internal.member_2": A(2), "internal.member_3": A(3),
  // aggregates
  count: A(1), sum: A(1), product: A(1), max: A(1), min: A(1), sort: A(1), all: A(1), any: A(1),
  // numbers
  abs: A(1), round: A(1), ceil: A(1), floor: A(1), "numbers.range": A(2), "numbers.range_step": A(3),
  // strings
  startswith: A(2), endswith: A(2), contains: A(2), concat: A(2), lower: A(1), upper: A(1), split: A(2),
  trim: A(2), trim_left: A(2), trim_right: A(2), trim_prefix: A(2), trim_suffix: A(2), trim_space: A(1),
  replace: A(3), sprintf: A(2), format_int: A(2), to_number: A(1), substring: A(3), indexof: A(2),
  indexof_n: A(2), "strings.reverse": A(1), "strings.replace_n": A(2), "strings.any_prefix_match": A(2),
  "strings.any_suffix_match": A(2), "strings.count": A(2), "strings.split_n": A(3),
  // regex
  "regex.match": A(2), re_match: A(2), "regex.split": A(2), "regex.find_n": A(3), "regex.is_valid": A(1),
  "regex.replace": A(3), "regex.find_all_string_submatch_n": A(3),
  // objects / arrays / sets
  "object.get": A(3), "object.keys": A(1), "object.remove": A(2), "object.filter": A(2), "object.union": A(2),
  "object.union_n": A(1), "array.concat": A(2), "array.slice": A(3), "array.reverse": A(1),
  union: A(1), intersection: A(1),
  // types
  is_string: A(1), is_number: A(1), is_boolean: A(1), is_array: A(1), is_object: A(1), is_set: A(1),
  is_null: A(1), type_name: A(1),
  // encoding
  "json.marshal": A(1), "json.unmarshal": A(1), "json.is_valid": A(1), "yaml.marshal": A(1),
  "yaml.unmarshal": A(1), "yaml.is_valid": A(1), "base64.encode": A(1), "base64.decode": A(1),
  "units.parse_bytes": A(1), "units.parse": A(1),
  // misc
  print: { arity: 0, variadic: true, sideEffect: true },
  "time.now_ns": A(0),
  cast_array: A(1), cast_set: A(1), cast_string: A(1), cast_boolean: A(1), cast_null: A(1), cast_object: A(1),
};
