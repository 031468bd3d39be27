// Growable byte buffer for JSON dumps, sprintf and string builders. A writer is a 12-byte heap block
// [data ptr][len][cap]; its data grows in place while it is the latest allocation (see heap.realloc).
import { alloc, realloc } from "./heap";

export function wNew(cap: u32): usize {
  const w = alloc(12);
  store<u32>(w, <u32>alloc(cap));
  store<u32>(w, 0, 4);
  store<u32>(w, cap, 8);
  return w;
}

@inline export function wPtr(w: usize): usize {
  return <usize>load<u32>(w);
}
@inline export function wLen(w: usize): u32 {
  return load<u32>(w, 4);
}
@inline export function wSetLen(w: usize, n: u32): void {
  store<u32>(w, n, 4);
}

/** Makes room for n more bytes and returns the address where they go (the caller then calls wAdvance). */
export function wReserve(w: usize, n: u32): usize {
  const len = load<u32>(w, 4);
  let cap = load<u32>(w, 8);
  if (len + n > cap) {
    let nc = cap << 1;
    if (nc < len + n) nc = len + n;
    if (nc < 64) nc = 64;
    store<u32>(w, <u32>realloc(<usize>load<u32>(w), cap, nc));
    store<u32>(w, nc, 8);
  }
  return <usize>load<u32>(w) + len;
}

@inline export function wAdvance(w: usize, n: u32): void {
  store<u32>(w, load<u32>(w, 4) + n, 4);
}

export function wByte(w: usize, b: u32): void {
  const p = wReserve(w, 1);
  store<u8>(p, <u8>b);
  wAdvance(w, 1);
}

export function wBytes(w: usize, src: usize, n: u32): void {
  if (n == 0) return;
  const p = wReserve(w, n);
  memory.copy(p, src, n);
  wAdvance(w, n);
}

/** Appends an ASCII AssemblyScript literal. */
export function wLit(w: usize, s: string): void {
  const n = <u32>s.length;
  const p = wReserve(w, n);
  const src = changetype<usize>(s);
  for (let i: u32 = 0; i < n; i++) store<u8>(p + i, <u8>load<u16>(src + (<usize>i << 1)));
  wAdvance(w, n);
}

/** Appends the decimal digits of a signed 64-bit integer. */
export function wI64(w: usize, x: i64): void {
  const p = wReserve(w, 20);
  let n: u32 = 0;
  let u: u64;
  if (x < 0) {
    store<u8>(p, 0x2d);
    n = 1;
    u = <u64>(-x); // i64.MIN negates to itself, and as u64 that is the right magnitude
  } else {
    u = <u64>x;
  }
  const start = n;
  do {
    store<u8>(p + n, <u8>(0x30 + <u32>(u % 10)));
    n++;
    u /= 10;
  } while (u != 0);
  // digits were written least significant first
  let i = start;
  let j = n - 1;
  while (i < j) {
    const t = load<u8>(p + i);
    store<u8>(p + i, load<u8>(p + j));
    store<u8>(p + j, t);
    i++;
    j--;
  }
  wAdvance(w, n);
}

/** Terminates with NUL and returns the data address (for the ABI's C strings). */
export function wCString(w: usize): usize {
  wByte(w, 0);
  return wPtr(w);
}
