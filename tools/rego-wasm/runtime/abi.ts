// OPA Wasm ABI 1.2 exports (what @open-policy-agent/opa-wasm and OPA's other SDKs call).
import { alloc, heapGet, heapSet } from "./heap";
import { policy_eval_entrypoint, policy_entrypoints } from "./imports";
import { T_OBJECT, T_ARRAY, mkColl, mkStrLit } from "./value";
import { jsonParse } from "./json-parse";
import { writeJSON } from "./json-dump";
import { wNew, wLit, wByte, wCString } from "./writer";
import { arrPush, objInsert } from "./collections";
import { abortLit } from "./errors";

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 2;

export function opa_malloc(size: usize): usize {
  return alloc(size);
}

/** Bump allocator: freeing is a no-op, the heap is reset between evaluations. */
export function opa_free(_ptr: usize): void {}

export function opa_json_parse(addr: usize, len: usize): usize {
  return jsonParse(addr, <u32>len);
}

/** OPA's "value" format is a superset of JSON (sets, non-string keys); JSON input is all any SDK sends. */
export function opa_value_parse(addr: usize, len: usize): usize {
  return jsonParse(addr, <u32>len);
}

export function opa_json_dump(v: usize): usize {
  const w = wNew(256);
  writeJSON(w, v);
  return wCString(w);
}

export function opa_value_dump(v: usize): usize {
  return opa_json_dump(v);
}

export function opa_heap_ptr_get(): usize {
  return heapGet();
}

export function opa_heap_ptr_set(p: usize): void {
  heapSet(p);
}

// No value is ever freed individually: removing/adding paths on the data document would need mutable data; the
// JS SDK never calls these, other SDKs only for incremental data updates. They report failure codes.
export function opa_value_free(_v: usize): void {}

/** Returns OPA_ERR_INVALID_PATH (3) so callers fall back to setting the whole data document. */
export function opa_value_add_path(_base: usize, _path: usize, _v: usize): i32 {
  return 3;
}

export function opa_value_remove_path(_base: usize, _path: usize): i32 {
  return 3;
}

/** `{}`: every builtin is native, none is delegated to the host. */
export function builtins(): usize {
  return mkColl(T_OBJECT, 0);
}

export function entrypoints(): usize {
  return policy_entrypoints();
}

/** [{"result": v}] or [] when v is undefined. */
function resultSet(v: usize): usize {
  const rs = mkColl(T_ARRAY, 1);
  if (v != 0) {
    const o = mkColl(T_OBJECT, 1);
    objInsert(o, mkStrLit("result"), v);
    arrPush(rs, o);
  }
  return rs;
}

// ---- context path (ABI < 1.2 callers): ctx = [input][data][entrypoint][result]
export function opa_eval_ctx_new(): usize {
  const c = alloc(16);
  store<u32>(c, 0);
  store<u32>(c, 0, 4);
  store<u32>(c, 0, 8);
  store<u32>(c, 0, 12);
  return c;
}

export function opa_eval_ctx_set_input(c: usize, v: usize): void {
  store<u32>(c, <u32>v);
}

export function opa_eval_ctx_set_data(c: usize, v: usize): void {
  store<u32>(c, <u32>v, 4);
}

export function opa_eval_ctx_set_entrypoint(c: usize, e: i32): void {
  store<i32>(c, e, 8);
}

export function opa_eval_ctx_get_result(c: usize): usize {
  return <usize>load<u32>(c, 12);
}

export function eval(c: usize): i32 {
  const r = policy_eval_entrypoint(load<i32>(c, 8), <usize>load<u32>(c), <usize>load<u32>(c, 4));
  store<u32>(c, <u32>resultSet(r), 12);
  return 0;
}

/**
 * The 1.2 fast path: input JSON text at inputAddr (inputLen 0 → input undefined), heap reset to heapPtr,
 * returns the address of the NUL-terminated JSON result set.
 */
export function opa_eval(_reserved: i32, entrypoint: i32, data: usize, inputAddr: usize, inputLen: usize, heapPtr: usize, _format: i32): usize {
  heapSet(heapPtr);
  let input: usize = 0;
  if (inputLen > 0) {
    input = jsonParse(inputAddr, <u32>inputLen);
    if (input == 0) abortLit("invalid input: not a JSON document (or nested deeper than 4096 levels)");
  }
  const r = policy_eval_entrypoint(entrypoint, input, data);
  // written directly rather than through resultSet: one fewer object per evaluation
  const w = wNew(256);
  if (r == 0) {
    wLit(w, "[]");
  } else {
    wLit(w, "[{\"result\":");
    writeJSON(w, r);
    wByte(w, 0x7d);
    wByte(w, 0x5d);
  }
  return wCString(w);
}
