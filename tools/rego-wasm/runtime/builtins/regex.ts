// regex.match / regex.is_valid over the native RE2-compatible engine in ../regex (Go regexp semantics).
import { T_STRING, tag, mkBool, strLen, strPtr } from "../value";
import { regexMatch, regexIsValid } from "../regex/index";
import { typeErr, builtinErr } from "./mode";

function match(name: string, p: usize, s: usize): usize {
  if (p == 0 || tag(p) != T_STRING) return typeErr(name, 1, "string", p);
  if (s == 0 || tag(s) != T_STRING) return typeErr(name, 2, "string", s);
  const r = regexMatch(strPtr(p), <i32>strLen(p), strPtr(s), <i32>strLen(s));
  if (r == 1) return mkBool(true);
  if (r == 0) return mkBool(false);
  if (r == -1) return builtinErr(name, "error parsing regexp: invalid pattern");
  return builtinErr(name, "pattern not supported by the rego-wasm regex engine");
}

export function rt_bi_regex_match(p: usize, s: usize): usize {
  return match("regex.match", p, s);
}

/** The deprecated name of regex.match. */
export function rt_bi_re_match(p: usize, s: usize): usize {
  return match("re_match", p, s);
}

/** false (never an error) for invalid patterns and non-strings, like OPA. */
export function rt_bi_regex_is_valid(p: usize): usize {
  if (p == 0 || tag(p) != T_STRING) return mkBool(false);
  return mkBool(regexIsValid(strPtr(p), <i32>strLen(p)) == 1);
}
