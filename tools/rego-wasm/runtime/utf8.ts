// UTF-8 helpers: Rego measures and indexes strings in code points.

/** Number of code points in [p, p+n) (counts every byte that is not a continuation byte). */
export function utf8Count(p: usize, n: u32): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
  return c;
}

/** Byte offset of code point index cp (clamped to n). */
export function utf8Offset(p: usize, n: u32, cp: u32): u32 {
  let seen: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    if ((load<u8>(p + i) & 0xc0) != 0x80) {
      if (seen == cp) return i;
      seen++;
    }
  }
  return n;
}

/** Length in bytes of the UTF-8 sequence starting with byte b. */
export function utf8SeqLen(b: u32): u32 {
  if (b < 0x80) return 1;
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 3;
  return 4;
}

/** Decodes the code point at p (assumes valid UTF-8). */
export function utf8Decode(p: usize): u32 {
  const b = <u32>load<u8>(p);
  if (b < 0x80) return b;
  if (b < 0xe0) return ((b & 0x1f) << 6) | (<u32>load<u8>(p + 1) & 0x3f);
  if (b < 0xf0) return ((b & 0x0f) << 12) | ((<u32>load<u8>(p + 1) & 0x3f) << 6) | (<u32>load<u8>(p + 2) & 0x3f);
  return ((b & 0x07) << 18) | ((<u32>load<u8>(p + 1) & 0x3f) << 12) | ((<u32>load<u8>(p + 2) & 0x3f) << 6) | (<u32>load<u8>(p + 3) & 0x3f);
}
