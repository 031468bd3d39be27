// UTF-8 decoding with Go's rules (unicode/utf8.DecodeRune): a malformed or truncated sequence, an overlong form
// or a surrogate decodes as U+FFFD with width 1. The matcher uses that for the text (Go matches such bytes as
// U+FFFD); the parser uses `utf8Bad` to reject malformed patterns, as Go's regexp/syntax does.

/** Width in bytes of the code point decoded by the last `utf8Decode` call. */
export let utf8Width: i32 = 1;
/** Whether the last `utf8Decode` call met malformed input (the result is then U+FFFD). */
export let utf8Bad: bool = false;

@inline function bad(): i32 {
  utf8Width = 1;
  utf8Bad = true;
  return 0xfffd;
}

/** Decodes the code point at p; `end` is the first byte past the input. Requires p < end. */
export function utf8Decode(p: usize, end: usize): i32 {
  const b0 = <i32>load<u8>(p);
  utf8Bad = false;
  if (b0 < 0x80) {
    utf8Width = 1;
    return b0;
  }
  const n = <i32>(end - p);
  // 0x80..0xC1 are continuation bytes or would start an overlong 2-byte form; 0xF5.. start nothing valid.
  if (b0 < 0xc2 || b0 > 0xf4 || n < 2) return bad();
  const b1 = <i32>load<u8>(p + 1);
  if (b0 < 0xe0) {
    if ((b1 & 0xc0) != 0x80) return bad();
    utf8Width = 2;
    return ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  }
  // The second byte's lower bound excludes overlong forms, its upper bound surrogates (ED) and > U+10FFFF (F4).
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 == 0xe0) lo = 0xa0;
  else if (b0 == 0xed) hi = 0x9f;
  else if (b0 == 0xf0) lo = 0x90;
  else if (b0 == 0xf4) hi = 0x8f;
  if (b1 < lo || b1 > hi || n < 3) return bad();
  const b2 = <i32>load<u8>(p + 2);
  if ((b2 & 0xc0) != 0x80) return bad();
  if (b0 < 0xf0) {
    utf8Width = 3;
    return ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
  }
  if (n < 4) return bad();
  const b3 = <i32>load<u8>(p + 3);
  if ((b3 & 0xc0) != 0x80) return bad();
  utf8Width = 4;
  return ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
}
