// json.marshal / json.unmarshal / json.is_valid.
import { T_STRING, tag, mkBool, strLen, strPtr } from "../value";
import { jsonParse } from "../json-parse";
import { writeJSONGo } from "../json-dump";
import { wNew } from "../writer";
import { strFromWriter } from "./strings";
import { typeErr, builtinErr } from "./mode";

/** Compact JSON with keys sorted (sets become arrays) and Go's escapes (`<` → `\u003c`), like OPA's json.marshal. */
export function rt_bi_json_marshal(v: usize): usize {
  if (v == 0) return 0;
  const w = wNew(64);
  writeJSONGo(w, v);
  return strFromWriter(w);
}

export function rt_bi_json_unmarshal(s: usize): usize {
  if (s == 0 || tag(s) != T_STRING) return typeErr("json.unmarshal", 1, "string", s);
  const v = jsonParse(strPtr(s), strLen(s));
  if (v == 0) return builtinErr("json.unmarshal", "invalid JSON");
  return v;
}

export function rt_bi_json_is_valid(s: usize): usize {
  if (s == 0 || tag(s) != T_STRING) return mkBool(false);
  return mkBool(jsonParse(strPtr(s), strLen(s)) != 0);
}
