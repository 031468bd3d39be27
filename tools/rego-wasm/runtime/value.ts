// Value layout. A value is the address of an 8-aligned heap (or static) block whose first u32 is its type tag;
// address 0 means "undefined". Tags follow Rego's type order so comparing tags orders types.
//   null    [tag]
//   boolean [tag][b u32]
//   number  [tag][kind u32][payload 8 bytes][text ptr u32][text len u32]   (see number.ts)
//   string  [tag][len u32 bytes][ptr u32]    UTF-8 bytes, possibly pointing into the parsed JSON text
//   array   [tag][len][cap][elems ptr]        elements: u32 value addresses
//   object  [tag][len][cap][entries ptr]      entries: (key, value) u32 pairs, keys sorted in Rego order
//   set     [tag][len][cap][elems ptr]        elements sorted in Rego order, unique
import { alloc } from "./heap";

export const T_NULL: u32 = 0;
export const T_BOOLEAN: u32 = 1;
export const T_NUMBER: u32 = 2;
export const T_STRING: u32 = 3;
export const T_ARRAY: u32 = 4;
export const T_OBJECT: u32 = 5;
export const T_SET: u32 = 6;

// Singletons live in the runtime's static data, below every heap, so they survive heap resets.
const NULL_V: usize = memory.data<u32>([0, 0]);
const TRUE_V: usize = memory.data<u32>([1, 1]);
const FALSE_V: usize = memory.data<u32>([1, 0]);

@inline export function tag(v: usize): u32 {
  return load<u32>(v);
}

export function mkNull(): usize {
  return NULL_V;
}

export function mkBool(b: bool): usize {
  return b ? TRUE_V : FALSE_V;
}

@inline export function boolOf(v: usize): bool {
  return load<u32>(v, 4) != 0;
}

@inline export function isTrue(v: usize): bool {
  return v != 0 && load<u32>(v) == T_BOOLEAN && load<u32>(v, 4) != 0;
}

// ---- strings ----
@inline export function strLen(v: usize): u32 {
  return load<u32>(v, 4);
}
@inline export function strPtr(v: usize): usize {
  return <usize>load<u32>(v, 8);
}

/** A string value referring to bytes that outlive it (static data, parsed JSON text). */
export function mkStrRef(ptr: usize, len: u32): usize {
  const v = alloc(12);
  store<u32>(v, T_STRING);
  store<u32>(v, len, 4);
  store<u32>(v, <u32>ptr, 8);
  return v;
}

/** A string value owning a copy of the bytes. */
export function mkStrCopy(ptr: usize, len: u32): usize {
  const v = alloc(12 + len);
  const d = v + 12;
  if (len > 0) memory.copy(d, ptr, len);
  store<u32>(v, T_STRING);
  store<u32>(v, len, 4);
  store<u32>(v, <u32>d, 8);
  return v;
}

/** A string value with len uninitialised bytes, to be filled by the caller (strData). */
export function mkStrUninit(len: u32): usize {
  const v = alloc(12 + len);
  store<u32>(v, T_STRING);
  store<u32>(v, len, 4);
  store<u32>(v, <u32>(v + 12), 8);
  return v;
}

/** A string value made from an ASCII AssemblyScript literal (messages, type names). */
export function mkStrLit(s: string): usize {
  const n = <u32>s.length;
  const v = mkStrUninit(n);
  const d = v + 12;
  const src = changetype<usize>(s);
  for (let i: u32 = 0; i < n; i++) store<u8>(d + i, <u8>load<u16>(src + (<usize>i << 1)));
  return v;
}

// ---- collections (shared header for array/object/set) ----
@inline export function collLen(v: usize): u32 {
  return load<u32>(v, 4);
}
@inline export function collCap(v: usize): u32 {
  return load<u32>(v, 8);
}
@inline export function collData(v: usize): usize {
  return <usize>load<u32>(v, 12);
}

/** An array/set (element width 4) or object (width 8) header with capacity cap. */
export function mkColl(t: u32, cap: u32): usize {
  const width: u32 = t == T_OBJECT ? 8 : 4;
  const v = alloc(16 + cap * width);
  store<u32>(v, t);
  store<u32>(v, 0, 4);
  store<u32>(v, cap, 8);
  store<u32>(v, <u32>(v + 16), 12);
  return v;
}

@inline export function arrAt(v: usize, i: u32): usize {
  return <usize>load<u32>(collData(v) + (<usize>i << 2));
}
@inline export function objKeyAt(v: usize, i: u32): usize {
  return <usize>load<u32>(collData(v) + (<usize>i << 3));
}
@inline export function objValAt(v: usize, i: u32): usize {
  return <usize>load<u32>(collData(v) + (<usize>i << 3), 4);
}
