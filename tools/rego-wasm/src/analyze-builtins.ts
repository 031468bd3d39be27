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
  count: A(1), sum: A(1), product: A(1), max: A(1), min: A(1), sort: A(1),
  // numbers
  abs: A(1), round: A(1), ceil: A(1), floor: A(1), "numbers.range": A(2), "numbers.range_step": A(3),
  // strings
  startswith: A(2), endswith: A(2), contains: A(2), concat: A(2), lower: A(1), upper: A(1), split: A(2),
  trim: A(2), trim_left: A(2), trim_right: A(2), trim_prefix: A(2), trim_suffix: A(2), trim_space: A(1),
  replace: A(3), sprintf: A(2), format_int: A(2), to_number: A(1), substring: A(3), indexof: A(2),
  indexof_n: A(2), "strings.reverse": A(1), "strings.replace_n": A(2), "strings.any_prefix_match": A(2),
  "strings.any_suffix_match": A(2), "strings.count": A(2), "strings.split_n": A(3),
  // regex
  "regex.match": A(2), "regex.split": A(2), "regex.find_n": A(3), "regex.is_valid": A(1),
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
  "base64url.encode": A(1), "base64url.decode": A(1), "base64url.encode_no_pad": A(1), "base64.is_valid": A(1),
  "hex.encode": A(1), "hex.decode": A(1), "urlquery.encode": A(1), "urlquery.decode": A(1),
  "urlquery.encode_object": A(1), "json.filter": A(2), "json.remove": A(2), "json.patch": A(2),
  "json.marshal_with_options": A(2), "object.subset": A(2), "glob.match": A(3), "glob.quote_meta": A(1),
  "regex.globs_match": A(2), "regex.template_match": A(4), "strings.render_template": A(2),
  "semver.compare": A(2), "semver.is_valid": A(1), "crypto.sha256": A(1), "crypto.sha1": A(1), "crypto.md5": A(1),
  "crypto.hmac.sha256": A(2), "net.cidr_contains": A(2), "net.cidr_intersects": A(2), "net.cidr_merge": A(1),
  "net.cidr_expand": A(1), "net.cidr_is_valid": A(1), "net.cidr_contains_matches": A(2),
  "bits.and": A(2), "bits.or": A(2), "bits.xor": A(2), "bits.lsh": A(2), "bits.rsh": A(2), "bits.negate": A(1),
  "graph.reachable": A(2), walk: A(1), "uuid.rfc4122": A(1), "uuid.parse": A(1), "io.jwt.decode": A(1),
  "http.send": A(1), "rand.intn": A(2), "opa.runtime": A(0), trace: A(1),
  "time.now_ns": A(0), "time.parse_rfc3339_ns": A(1), "time.parse_ns": A(2), "time.parse_duration_ns": A(1),
  "time.date": A(1), "time.clock": A(1), "time.weekday": A(1), "time.add_date": A(4), "time.diff": A(2),
  "time.format": A(1),
};

/**
 * Deprecated builtins OPA removed from Rego v1 (`opa check`/`opa test` reject them); rejected here too, so a
 * policy that compiles with this compiler also runs under `opa test`.
 */
export const DEPRECATED_BUILTINS = new Set([
  "any", "all", "re_match", "set_diff", "net.cidr_overlap",
  "cast_array", "cast_set", "cast_string", "cast_boolean", "cast_null", "cast_object",
]);
