// Value → text. Two styles:
//   JSON  (opa_json_dump, json.marshal): compact, sets as arrays, keys in Rego order;
//   REGO  (sprintf %v, print, error messages): OPA's term formatting — `[1, "a"]`, `{"a": 1}`, `{1, 2}`, `set()`.
import { T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, tag, boolOf, strLen, strPtr, collLen, arrAt, objKeyAt, objValAt } from "./value";
import { numWrite } from "./number";
import { wNew, wPtr, wLen, wByte, wLit, wReserve, wAdvance } from "./writer";

const HEX: usize = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

// json.marshal escapes like Go's json.Marshal (which OPA uses): also <, >, & and U+2028/U+2029
let goEscapes = false;

/** Appends a JSON string literal for the UTF-8 bytes [p, p+n). */
export function writeQuoted(w: usize, p: usize, n: u32): void {
  if (goEscapes) {
    writeQuotedGo(w, p, n);
    return;
  }
  // exact size first: reserving the worst case (6 bytes per byte) would grow memory needlessly for long strings
  let extra: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x22 || c == 0x5c) extra += 1;
    else if (c < 0x20) extra += c == 0x0a || c == 0x09 || c == 0x0d || c == 0x08 || c == 0x0c ? 1 : 5;
  }
  const o = wReserve(w, n + extra + 2);
  let k: u32 = 0;
  store<u8>(o, 0x22);
  k++;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x22 || c == 0x5c) {
      store<u8>(o + k, 0x5c);
      store<u8>(o + k + 1, <u8>c);
      k += 2;
    } else if (c < 0x20) {
      store<u8>(o + k, 0x5c);
      let e: u32 = 0;
      if (c == 0x0a) e = 0x6e;
      else if (c == 0x09) e = 0x74;
      else if (c == 0x0d) e = 0x72;
      else if (c == 0x08) e = 0x62;
      else if (c == 0x0c) e = 0x66;
      if (e != 0) {
        store<u8>(o + k + 1, <u8>e);
        k += 2;
      } else {
        store<u8>(o + k + 1, 0x75);
        store<u8>(o + k + 2, 0x30);
        store<u8>(o + k + 3, 0x30);
        store<u8>(o + k + 4, load<u8>(HEX + (c >> 4)));
        store<u8>(o + k + 5, load<u8>(HEX + (c & 15)));
        k += 6;
      }
    } else {
      store<u8>(o + k, <u8>c);
      k++;
    }
  }
  store<u8>(o + k, 0x22);
  k++;
  wAdvance(w, k);
}

/** Go's json.Marshal string escaping: control characters, quote, backslash, <, >, &, U+2028, U+2029. */
function writeQuotedGo(w: usize, p: usize, n: u32): void {
  wByte(w, 0x22);
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x3c || c == 0x3e || c == 0x26 || (c < 0x20 && c != 0x0a && c != 0x09 && c != 0x0d)) {
      wLit(w, "\\u00");
      wByte(w, hexDigit(c >> 4));
      wByte(w, hexDigit(c & 15));
    } else if (c == 0x0a) {
      wLit(w, "\\n");
    } else if (c == 0x09) {
      wLit(w, "\\t");
    } else if (c == 0x0d) {
      wLit(w, "\\r");
    } else if (c == 0x22 || c == 0x5c) {
      wByte(w, 0x5c);
      wByte(w, c);
    } else if (c == 0xe2 && i + 2 < n && load<u8>(p + i + 1) == 0x80 && (load<u8>(p + i + 2) == 0xa8 || load<u8>(p + i + 2) == 0xa9)) {
      wLit(w, load<u8>(p + i + 2) == 0xa8 ? "\\u2028" : "\\u2029");
      i += 3;
      continue;
    } else {
      wByte(w, c);
    }
    i++;
  }
  wByte(w, 0x22);
}

/** JSON as Go's json.Marshal writes it (for json.marshal): compact, sorted keys, Go's string escapes. */
export function writeJSONGo(w: usize, v: usize): void {
  goEscapes = true;
  writeValue(w, v, false);
  goEscapes = false;
}

export function hexDigit(d: u32): u8 {
  return load<u8>(HEX + (d & 15));
}

export function writeJSON(w: usize, v: usize): void {
  writeValue(w, v, false);
}

export function writeRego(w: usize, v: usize): void {
  writeValue(w, v, true);
}

function writeValue(w: usize, v: usize, rego: bool): void {
  if (v == 0) {
    // undefined has no JSON form; callers never dump it, but keep output valid
    wLit(w, "null");
    return;
  }
  const t = tag(v);
  if (t == T_NULL) {
    wLit(w, "null");
  } else if (t == T_BOOLEAN) {
    wLit(w, boolOf(v) ? "true" : "false");
  } else if (t == T_NUMBER) {
    numWrite(w, v);
  } else if (t == T_STRING) {
    writeQuoted(w, strPtr(v), strLen(v));
  } else if (t == T_OBJECT) {
    const n = collLen(v);
    wByte(w, 0x7b);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) {
        wByte(w, 0x2c);
        if (rego) wByte(w, 0x20);
      }
      const k = objKeyAt(v, i);
      if (!rego && tag(k) != T_STRING) {
        // JSON object keys must be strings: like OPA, non-string keys are written as their JSON text, quoted
        const kw = wNew(16);
        writeValue(kw, k, false);
        writeQuoted(w, wPtr(kw), wLen(kw));
      } else {
        writeValue(w, k, rego);
      }
      if (rego) {
        wByte(w, 0x3a);
        wByte(w, 0x20);
      } else {
        wByte(w, 0x3a);
      }
      writeValue(w, objValAt(v, i), rego);
    }
    wByte(w, 0x7d);
  } else {
    // array or set
    const n = collLen(v);
    const isSet = t != T_ARRAY;
    if (rego && isSet && n == 0) {
      wLit(w, "set()");
      return;
    }
    wByte(w, rego && isSet ? 0x7b : 0x5b);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) {
        wByte(w, 0x2c);
        if (rego) wByte(w, 0x20);
      }
      writeValue(w, arrAt(v, i), rego);
    }
    wByte(w, rego && isSet ? 0x7d : 0x5d);
  }
}
