// The Rego builtins backed by this engine, over runtime values, ready for builtins/index.ts to re-export:
//   regex.match(pattern, value) → rt_bi_regex_match, its deprecated alias re_match → rt_bi_re_match,
//   regex.is_valid(pattern) → rt_bi_regex_is_valid.
// Errors follow the runtime's builtin error mode (builtins/mode.ts): undefined by default, an abort in strict mode,
// as OPA does (its conformance case "regex.match bad RE" expects undefined).
import { T_STRING, tag, mkBool, strLen, strPtr } from "../value";
import { typeErr, builtinErr } from "../builtins/mode";
import { regexMatch, regexIsValid } from "./index";

function matchAs(name: string, pattern: usize, value: usize): usize {
  if (pattern == 0 || tag(pattern) != T_STRING) return typeErr(name, 1, "string", pattern);
  if (value == 0 || tag(value) != T_STRING) return typeErr(name, 2, "string", value);
  const r = regexMatch(strPtr(pattern), <i32>strLen(pattern), strPtr(value), <i32>strLen(value));
  if (r == 1) return mkBool(true);
  if (r == 0) return mkBool(false);
  if (r == -1) return builtinErr(name, "error parsing regexp: invalid or unsupported syntax");
  // Valid RE2 the engine does not evaluate (\p{..} Unicode classes, or a huge program): never guess an answer.
  return builtinErr(name, "regular expression not supported by the Wasm runtime (Unicode property classes)");
}

export function rt_bi_regex_match(pattern: usize, value: usize): usize {
  return matchAs("regex.match", pattern, value);
}

export function rt_bi_re_match(pattern: usize, value: usize): usize {
  return matchAs("re_match", pattern, value);
}

/** OPA answers false (not a type error) for a non-string operand. */
export function rt_bi_regex_is_valid(pattern: usize): usize {
  if (pattern == 0 || tag(pattern) != T_STRING) return mkBool(false);
  return mkBool(regexIsValid(strPtr(pattern), <i32>strLen(pattern)) == 1);
}
