// print(...): operands joined by spaces; strings raw, other values in Rego syntax, undefined operands (0
// elements) as "<undefined>". Always true, so it never changes a rule's outcome.
import { T_STRING, T_ARRAY, tag, mkBool, collLen, arrAt, strLen, strPtr } from "../value";
import { writeRego } from "../json-dump";
import { wNew, wByte, wBytes, wLit, wCString } from "../writer";
import { env_opa_println } from "../imports";

export function rt_bi_print(args: usize): usize {
  const w = wNew(64);
  if (args != 0 && tag(args) == T_ARRAY) {
    const n = collLen(args);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) wByte(w, 0x20);
      const v = arrAt(args, i);
      if (v == 0) wLit(w, "<undefined>");
      else if (tag(v) == T_STRING) wBytes(w, strPtr(v), strLen(v));
      else writeRego(w, v);
    }
  }
  env_opa_println(wCString(w));
  return mkBool(true);
}
