// Host functions the runtime calls. `policy.*` are placeholders the code generator replaces with generated
// functions when it links a policy; `env.*` come from the OPA Wasm SDK.

/** Evaluates entrypoint `entrypoint`; returns the result value or 0 when undefined. */
@external("policy", "eval_entrypoint")
export declare function policy_eval_entrypoint(entrypoint: i32, input: usize, data: usize): usize;

/** Object value `{"pkg/rule": id}` describing the policy's entrypoints. */
@external("policy", "entrypoints")
export declare function policy_entrypoints(): usize;

/** First free byte after the policy's static data; the heap starts there (aligned to 8). */
@external("policy", "static_end")
export declare function policy_static_end(): usize;

/** Throws the NUL-terminated message at addr in the host (the SDK raises it as an Error). */
@external("env", "opa_abort")
export declare function env_opa_abort(addr: usize): void;

/** Prints the NUL-terminated string at addr (console.log in the JS SDK). */
@external("env", "opa_println")
export declare function env_opa_println(addr: usize): void;
