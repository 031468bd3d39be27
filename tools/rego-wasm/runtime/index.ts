// Entry point of runtime.wasm: everything exported here becomes a wasm export.
export * from "./abi";
export * from "./rt";
export * from "./builtins/index";
