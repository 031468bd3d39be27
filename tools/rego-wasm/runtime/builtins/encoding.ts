// base64.encode / base64.decode / base64url.encode / base64url.decode (standard alphabets, with padding like Go's
// StdEncoding / URLEncoding).
import { T_STRING, tag, strLen, strPtr, mkStrUninit } from "../value";
import { typeErr, builtinErr } from "./mode";

const STD: usize = memory.data<u8>([65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 43, 47]);

function alpha(i: u32, url: bool): u8 {
  const c = load<u8>(STD + i);
  if (url && c == 43) return 45; // '+' → '-'
  if (url && c == 47) return 95; // '/' → '_'
  return c;
}

function encode(name: string, s: usize, url: bool): usize {
  if (s == 0 || tag(s) != T_STRING) return typeErr(name, 1, "string", s);
  const p = strPtr(s);
  const n = strLen(s);
  const out = mkStrUninit(((n + 2) / 3) * 4);
  const d = out + 12;
  let o: u32 = 0;
  let i: u32 = 0;
  while (i + 3 <= n) {
    const v = (<u32>load<u8>(p + i) << 16) | (<u32>load<u8>(p + i + 1) << 8) | <u32>load<u8>(p + i + 2);
    store<u8>(d + o, alpha(v >> 18, url));
    store<u8>(d + o + 1, alpha((v >> 12) & 63, url));
    store<u8>(d + o + 2, alpha((v >> 6) & 63, url));
    store<u8>(d + o + 3, alpha(v & 63, url));
    o += 4;
    i += 3;
  }
  const rest = n - i;
  if (rest > 0) {
    let v = <u32>load<u8>(p + i) << 16;
    if (rest == 2) v |= <u32>load<u8>(p + i + 1) << 8;
    store<u8>(d + o, alpha(v >> 18, url));
    store<u8>(d + o + 1, alpha((v >> 12) & 63, url));
    store<u8>(d + o + 2, rest == 2 ? alpha((v >> 6) & 63, url) : 61);
    store<u8>(d + o + 3, 61);
  }
  return out;
}

function sextet(c: u32, url: bool): i32 {
  if (c >= 65 && c <= 90) return <i32>(c - 65);
  if (c >= 97 && c <= 122) return <i32>(c - 71);
  if (c >= 48 && c <= 57) return <i32>(c + 4);
  if (c == (url ? 45 : 43)) return 62;
  if (c == (url ? 95 : 47)) return 63;
  return -1;
}

function decode(name: string, s: usize, url: bool): usize {
  if (s == 0 || tag(s) != T_STRING) return typeErr(name, 1, "string", s);
  const p = strPtr(s);
  let n = strLen(s);
  if (n % 4 != 0) return builtinErr(name, "illegal base64 data");
  let pad: u32 = 0;
  while (n > 0 && pad < 2 && load<u8>(p + n - 1) == 61) {
    n--;
    pad++;
  }
  const out = mkStrUninit((n * 3) / 4);
  const d = out + 12;
  let o: u32 = 0;
  let acc: u32 = 0;
  let bits: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const v = sextet(<u32>load<u8>(p + i), url);
    if (v < 0) return builtinErr(name, "illegal base64 data");
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      store<u8>(d + o, <u8>((acc >> bits) & 0xff));
      o++;
    }
  }
  store<u32>(out, o, 4);
  return out;
}

export function rt_bi_base64_encode(s: usize): usize {
  return encode("base64.encode", s, false);
}
export function rt_bi_base64_decode(s: usize): usize {
  return decode("base64.decode", s, false);
}
export function rt_bi_base64url_encode(s: usize): usize {
  return encode("base64url.encode", s, true);
}
export function rt_bi_base64url_decode(s: usize): usize {
  return decode("base64url.decode", s, true);
}
