// sprintf, natively, with OPA's semantics: OPA converts each operand to a Go value (strings → string, integers
// → int or *big.Int, other numbers → float64, everything else stays a Rego term printed in Rego syntax) and
// calls Go's fmt.Sprintf. Verbs: %s %v %d %f %e %g %x %X %o %b %q %t %c %%, flags - + 0 space #, width and
// precision. Mismatches print like Go, e.g. %s of 1 → "%!s(int=1)", %d of 1.5 → "%!d(float64=1.5)".
import { T_STRING, T_NUMBER, T_ARRAY, T_BOOLEAN, tag, strLen, strPtr, collLen, arrAt, boolOf } from "../value";
import { numAsI64, numLastI64, numIsIntSyntax, numF64, numIntDigits, intNeg, numDecompose, decompDigits, decompN, decompExp } from "../number";
import { wNew, wByte, wBytes, wLit, wPtr, wLen, wI64 } from "../writer";
import { writeRego, hexDigit } from "../json-dump";
import { utf8Count, utf8Decode, utf8SeqLen } from "../utf8";
import { strFromWriter } from "./strings";
import { typeErr } from "./mode";

// argument classes after OPA's conversion
const A_STRING: i32 = 0;
const A_INT: i32 = 1; // fits int64 → Go int
const A_BIG: i32 = 2; // *big.Int
const A_FLOAT: i32 = 3;
const A_TERM: i32 = 4; // any other Rego value

function argClass(v: usize): i32 {
  const t = tag(v);
  if (t == T_STRING) return A_STRING;
  if (t == T_NUMBER) {
    // OPA tries Int64(), then big.Int.SetString, then Float64() on the literal text: "1.0" and "1e3" are floats
    if (!numIsIntSyntax(v)) return A_FLOAT;
    return numAsI64(v) ? A_INT : A_BIG;
  }
  return A_TERM;
}

// current directive
let fMinus = false;
let fPlus = false;
let fZero = false;
let fSpace = false;
let fSharp = false;
let width: i32 = -1;
let prec: i32 = -1;

/** Appends bytes [p, p+n) of `cps` code points padded to the width (numeric zero padding after the sign). */
function pad(w: usize, p: usize, n: u32, cps: i32, numeric: bool): void {
  const fill = width > cps ? width - cps : 0;
  if (fill == 0) {
    wBytes(w, p, n);
    return;
  }
  if (fMinus) {
    wBytes(w, p, n);
    for (let i = 0; i < fill; i++) wByte(w, 0x20);
    return;
  }
  if (fZero && numeric) {
    let k: u32 = 0;
    if (n > 0 && (load<u8>(p) == 0x2d || load<u8>(p) == 0x2b || load<u8>(p) == 0x20)) {
      wByte(w, load<u8>(p));
      k = 1;
    }
    for (let i = 0; i < fill; i++) wByte(w, 0x30);
    wBytes(w, p + k, n - k);
    return;
  }
  for (let i = 0; i < fill; i++) wByte(w, 0x20);
  wBytes(w, p, n);
}

/** Pads the text a scratch writer holds. */
function emit(w: usize, s: usize, numeric: bool): void {
  pad(w, wPtr(s), wLen(s), <i32>utf8Count(wPtr(s), wLen(s)), numeric);
}

/** Integer v in base (2, 8, 10, 16) into scratch writer s, with sign flags. */
function fmtInt(s: usize, v: usize, base: u32, upper: bool): void {
  const digits = wNew(24);
  numIntDigits(digits, v);
  const neg = intNeg;
  if (neg) wByte(s, 0x2d);
  else if (fPlus) wByte(s, 0x2b);
  else if (fSpace) wByte(s, 0x20);
  if (base == 10) {
    wBytes(s, wPtr(digits), wLen(digits));
    return;
  }
  if (fSharp) {
    if (base == 16) wLit(s, upper ? "0X" : "0x");
    else if (base == 8) wByte(s, 0x30);
    else if (base == 2) wLit(s, "0b");
  }
  // convert the decimal magnitude to base by repeated division (digits are short: i64 or modest big ints)
  const n = wLen(digits);
  const d = wPtr(digits);
  const out = wNew(n * 4 + 4);
  let len = n;
  let start: u32 = 0;
  while (start < len) {
    let rem: u32 = 0;
    for (let i = start; i < len; i++) {
      const cur = rem * 10 + (<u32>load<u8>(d + i) - 0x30);
      store<u8>(d + i, <u8>(0x30 + cur / base));
      rem = cur % base;
    }
    let c = hexDigit(rem);
    if (upper && c >= 0x61) c -= 32;
    wByte(out, c);
    while (start < len && load<u8>(d + start) == 0x30) start++;
  }
  if (wLen(out) == 0) wByte(out, 0x30);
  const o = wPtr(out);
  for (let i = <i32>wLen(out) - 1; i >= 0; i--) wByte(s, load<u8>(o + i));
}

/** Fixed-point with prec digits (default 6), rounding half away from zero on the scaled value. */
function fmtFixed(s: usize, x: f64, p: i32): void {
  if (p < 0) p = 6;
  let neg = x < 0 || (x == 0 && 1 / x < 0);
  let a = Math.abs(x);
  if (neg) wByte(s, 0x2d);
  else if (fPlus) wByte(s, 0x2b);
  else if (fSpace) wByte(s, 0x20);
  if (!isFinite(a)) {
    wLit(s, isNaN(a) ? "NaN" : "Inf");
    return;
  }
  const scale = Math.pow(10, <f64>p);
  const scaled = Math.floor(a * scale + 0.5);
  if (scaled < 1.8e19) {
    const u = <u64>scaled;
    const ip = u / <u64>scale;
    const fp = u % <u64>scale;
    wI64(s, <i64>ip);
    if (p > 0 || fSharp) wByte(s, 0x2e);
    // fraction with leading zeros
    const fd = wNew(24);
    wI64(fd, <i64>fp);
    for (let i = <i32>wLen(fd); i < p; i++) wByte(s, 0x30);
    if (p > 0) wBytes(s, wPtr(fd), wLen(fd));
    return;
  }
  // huge: integer digits from the shortest representation, then zeros
  numDecomposeF(a);
  for (let i: i32 = 0; i < decompExp; i++) wByte(s, i < <i32>decompN ? load<u8>(decompDigits + i) : 0x30);
  if (p > 0) {
    wByte(s, 0x2e);
    for (let i: i32 = 0; i < p; i++) wByte(s, 0x30);
  }
}

function numDecomposeF(x: f64): void {
  // a temporary number value for the float, decomposed to its shortest digits
  const tmp = wNew(24);
  store<u32>(wPtr(tmp), T_NUMBER);
  store<u32>(wPtr(tmp), 1, 4);
  store<f64>(wPtr(tmp), x, 8);
  numDecompose(wPtr(tmp));
}

/** Go's %v / strconv 'g' shortest: exponent form when exp < -4 or exp >= 21. */
function fmtShortest(s: usize, x: f64): void {
  if (x < 0) wByte(s, 0x2d);
  else if (fPlus) wByte(s, 0x2b);
  if (!isFinite(x)) {
    wLit(s, isNaN(x) ? "NaN" : "Inf");
    return;
  }
  numDecomposeF(Math.abs(x));
  const n = <i32>decompN;
  const d = decompDigits;
  if (n == 0) {
    wByte(s, 0x30);
    return;
  }
  const e = decompExp - 1; // x = d.ddd × 10^e
  if (e < -4 || e >= 21) {
    wByte(s, load<u8>(d));
    if (n > 1) {
      wByte(s, 0x2e);
      wBytes(s, d + 1, n - 1);
    }
    wByte(s, 0x65);
    wByte(s, e < 0 ? 0x2d : 0x2b);
    const ae = e < 0 ? -e : e;
    if (ae < 10) wByte(s, 0x30);
    wI64(s, ae);
    return;
  }
  if (e < 0) {
    wLit(s, "0.");
    for (let i = -1; i > e; i--) wByte(s, 0x30);
    wBytes(s, d, n);
    return;
  }
  for (let i: i32 = 0; i <= e; i++) wByte(s, i < n ? load<u8>(d + i) : 0x30);
  if (n > e + 1) {
    wByte(s, 0x2e);
    wBytes(s, d + e + 1, n - e - 1);
  }
}

/** Go's %q of a string: double-quoted with Go escapes; printable non-ASCII kept. */
function fmtQuoted(s: usize, p: usize, n: u32): void {
  wByte(s, 0x22);
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x22 || c == 0x5c) {
      wByte(s, 0x5c);
      wByte(s, c);
    } else if (c == 0x0a) wLit(s, "\\n");
    else if (c == 0x09) wLit(s, "\\t");
    else if (c == 0x0d) wLit(s, "\\r");
    else if (c < 0x20 || c == 0x7f) {
      wLit(s, "\\x");
      wByte(s, hexDigit(c >> 4));
      wByte(s, hexDigit(c & 15));
    } else {
      const k = utf8SeqLen(c);
      wBytes(s, p + i, k);
      i += k;
      continue;
    }
    i++;
  }
  wByte(s, 0x22);
}

/** Go's "%!verb(type=value)" for a mismatched operand. */
function badVerb(s: usize, verb: u32, v: usize, cls: i32): void {
  wLit(s, "%!");
  wByte(s, verb);
  wByte(s, 0x28);
  if (cls == A_INT) {
    wLit(s, "int=");
    wI64(s, numLastI64());
  } else if (cls == A_BIG) {
    wLit(s, "*big.Int=");
    const d = wNew(24);
    numIntDigits(d, v);
    if (intNeg) wByte(s, 0x2d);
    wBytes(s, wPtr(d), wLen(d));
  } else if (cls == A_FLOAT) {
    wLit(s, "float64=");
    fmtShortest(s, numF64(v));
  } else if (cls == A_STRING) {
    wLit(s, "string=");
    wBytes(s, strPtr(v), strLen(v));
  } else {
    writeRego(s, v);
  }
  wByte(s, 0x29);
}

function formatOne(w: usize, verb: u32, v: usize): void {
  const s = wNew(32);
  const cls = argClass(v);
  let numeric = false;
  if (cls == A_INT || cls == A_BIG) numAsI64(v); // refresh numLastI64 for badVerb
  if (verb == 0x76 /* v */ || verb == 0x73 /* s */) {
    if (cls == A_STRING) {
      let n = strLen(v);
      if (prec >= 0 && verb == 0x73) n = truncateCps(strPtr(v), n, prec);
      wBytes(s, strPtr(v), n);
    } else if (cls == A_INT || cls == A_BIG) {
      // Go: %v of int prints it; %s of int is a mismatch, but *big.Int formats %s as decimal
      if (verb == 0x73 && cls == A_INT) badVerb(s, verb, v, cls);
      else {
        fmtInt(s, v, 10, false);
        numeric = true;
      }
    } else if (cls == A_FLOAT) {
      if (verb == 0x73) badVerb(s, verb, v, cls);
      else {
        fmtShortest(s, numF64(v));
        numeric = true;
      }
    } else {
      writeRego(s, v);
    }
  } else if (verb == 0x64 || verb == 0x78 || verb == 0x58 || verb == 0x6f || verb == 0x62) {
    const base: u32 = verb == 0x64 ? 10 : verb == 0x6f ? 8 : verb == 0x62 ? 2 : 16;
    if (cls == A_INT || cls == A_BIG) {
      fmtInt(s, v, base, verb == 0x58);
      numeric = true;
    } else if (cls == A_STRING && base == 16) {
      const p = strPtr(v);
      const n = strLen(v);
      for (let i: u32 = 0; i < n; i++) {
        let hi = hexDigit(<u32>load<u8>(p + i) >> 4);
        let lo = hexDigit(<u32>load<u8>(p + i) & 15);
        if (verb == 0x58) {
          if (hi >= 0x61) hi -= 32;
          if (lo >= 0x61) lo -= 32;
        }
        wByte(s, hi);
        wByte(s, lo);
      }
    } else {
      badVerb(s, verb, v, cls);
    }
  } else if (verb == 0x66 || verb == 0x46 || verb == 0x65 || verb == 0x45 || verb == 0x67 || verb == 0x47) {
    if (cls == A_FLOAT) {
      if (verb == 0x66 || verb == 0x46) fmtFixed(s, numF64(v), prec);
      else fmtShortest(s, numF64(v));
      numeric = true;
    } else {
      badVerb(s, verb, v, cls);
    }
  } else if (verb == 0x71 /* q */) {
    if (cls == A_STRING) fmtQuoted(s, strPtr(v), strLen(v));
    else badVerb(s, verb, v, cls);
  } else if (verb == 0x74 /* t */) {
    if (tag(v) == T_BOOLEAN) wLit(s, boolOf(v) ? "true" : "false");
    else badVerb(s, verb, v, cls);
  } else {
    badVerb(s, verb, v, cls);
  }
  emit(w, s, numeric);
}

/** Byte length of the first `cps` code points of [p, p+n). */
function truncateCps(p: usize, n: u32, cps: i32): u32 {
  let i: u32 = 0;
  let k: i32 = 0;
  while (i < n && k < cps) {
    i += utf8SeqLen(load<u8>(p + i));
    k++;
  }
  return i;
}

export function rt_bi_sprintf(f: usize, args: usize): usize {
  if (f == 0 || tag(f) != T_STRING) return typeErr("sprintf", 1, "string", f);
  if (args == 0 || tag(args) != T_ARRAY) return typeErr("sprintf", 2, "array", args);
  const p = strPtr(f);
  const n = strLen(f);
  const w = wNew(n + 32);
  let ai: u32 = 0;
  const na = collLen(args);
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c != 0x25) {
      wByte(w, c);
      i++;
      continue;
    }
    i++;
    if (i >= n) {
      wLit(w, "%!(NOVERB)");
      break;
    }
    fMinus = false;
    fPlus = false;
    fZero = false;
    fSpace = false;
    fSharp = false;
    width = -1;
    prec = -1;
    while (i < n) {
      const d = <u32>load<u8>(p + i);
      if (d == 0x2d) fMinus = true;
      else if (d == 0x2b) fPlus = true;
      else if (d == 0x30) fZero = true;
      else if (d == 0x20) fSpace = true;
      else if (d == 0x23) fSharp = true;
      else break;
      i++;
    }
    while (i < n && <u32>(load<u8>(p + i) - 0x30) < 10) {
      width = (width < 0 ? 0 : width) * 10 + <i32>(load<u8>(p + i) - 0x30);
      i++;
    }
    if (i < n && load<u8>(p + i) == 0x2e) {
      i++;
      prec = 0;
      while (i < n && <u32>(load<u8>(p + i) - 0x30) < 10) {
        prec = prec * 10 + <i32>(load<u8>(p + i) - 0x30);
        i++;
      }
    }
    if (i >= n) {
      wLit(w, "%!(NOVERB)");
      break;
    }
    const verb = utf8Decode(p + i);
    i += utf8SeqLen(load<u8>(p + i));
    if (verb == 0x25) {
      wByte(w, 0x25);
      continue;
    }
    if (ai >= na) {
      wLit(w, "%!");
      wByte(w, verb);
      wLit(w, "(MISSING)");
      continue;
    }
    formatOne(w, verb, arrAt(args, ai));
    ai++;
  }
  if (ai < na) {
    // Go appends the unused operands
    wLit(w, "%!(EXTRA ");
    for (let k = ai; k < na; k++) {
      if (k > ai) wLit(w, ", ");
      const v = arrAt(args, k);
      const cls = argClass(v);
      if (cls == A_STRING) wLit(w, "string=");
      else if (cls == A_INT) wLit(w, "int=");
      else if (cls == A_FLOAT) wLit(w, "float64=");
      if (cls == A_STRING) wBytes(w, strPtr(v), strLen(v));
      else writeRego(w, v);
    }
    wByte(w, 0x29);
  }
  return strFromWriter(w);
}

