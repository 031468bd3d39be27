// Bump allocator over the imported memory. There is no free: the SDK resets the heap pointer before every
// evaluation (`opa_heap_ptr_set` / `opa_eval`'s heapPtr), which releases everything at once. Memory that comes
// back from a reset or from memory.grow is NOT zeroed, so callers initialise every byte they rely on.
import { policy_static_end } from "./imports";

let heapTop: usize = 0;

@inline function align8(n: usize): usize {
  return (n + 7) & ~<usize>7;
}

/** The heap starts after the policy's static data; resolved lazily because that is an import. */
@inline export function heapInit(): void {
  if (heapTop == 0) heapTop = align8(policy_static_end());
}

export function heapGet(): usize {
  heapInit();
  return heapTop;
}

export function heapSet(p: usize): void {
  heapTop = align8(p);
}

/** Grows memory so that [0, end) is addressable. */
function ensure(end: usize): void {
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) unreachable();
  }
}

/** n bytes, 8-aligned, uninitialised. */
export function alloc(n: usize): usize {
  heapInit();
  const p = heapTop;
  const end = align8(p + n);
  ensure(end);
  heapTop = end;
  return p;
}

export function allocZero(n: usize): usize {
  const p = alloc(n);
  memory.fill(p, 0, n);
  return p;
}

/**
 * Resizes a block to newSize bytes. When it is the most recent allocation it grows in place (the common case for
 * output buffers and builders), otherwise it is copied to a fresh block.
 */
export function realloc(p: usize, oldSize: usize, newSize: usize): usize {
  if (p != 0 && align8(p + oldSize) == heapTop) {
    const end = align8(p + newSize);
    ensure(end);
    heapTop = end;
    return p;
  }
  const q = alloc(newSize);
  if (oldSize > 0) memory.copy(q, p, oldSize < newSize ? oldSize : newSize);
  return q;
}

/** Marks and releases scratch allocations made by a computation that leaves nothing behind. */
@inline export function heapMark(): usize {
  heapInit();
  return heapTop;
}
@inline export function heapRelease(mark: usize): void {
  heapTop = mark;
}
