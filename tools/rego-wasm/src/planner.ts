/**
 * Planner: decides which Wasm functions the policy needs. It arranges the analysed program's rule groups in a
 * tree mirroring `data` (packages → rules), so a constant `data` path can be split into "rule call, then a
 * lookup inside its value", "virtual document assembled from the rules below a package", or "base document";
 * and it hands out one function per rule path on first use, so only rules reachable from the entrypoints are
 * compiled (the code generator asks for a function while generating a caller, which queues the callee).
 */
import type { Program, RuleGroup } from "./program";

export interface DataNode {
  /** The rule group defined exactly at this path, if any. */
  group: RuleGroup | null;
  children: Map<string, DataNode>;
}

/** Where a `data` reference with constant leading path elements lands. */
export type DataTarget =
  /** A rule: call it, then look up `rest` (the first `consumed` path elements named the rule). */
  | { kind: "rule"; group: RuleGroup; consumed: number }
  /** A package (or virtual prefix) with rules below it: assemble its document from the node. */
  | { kind: "virtual"; node: DataNode; consumed: number }
  /** Nothing virtual lies under this prefix: plain base data. */
  | { kind: "base"; consumed: number };

export interface PlannedFunction {
  group: RuleGroup;
  /** Wasm function name. */
  name: string;
  /** Index used for the memo globals. */
  index: number;
}

export class Planner {
  readonly root: DataNode = { group: null, children: new Map() };
  private readonly functions = new Map<string, PlannedFunction>();
  private readonly queue: PlannedFunction[] = [];

  constructor(readonly program: Program) {
    for (const group of program.rules.values()) {
      let node = this.root;
      for (const seg of group.path) {
        let next = node.children.get(seg);
        if (!next) {
          next = { group: null, children: new Map() };
          node.children.set(seg, next);
        }
        node = next;
      }
      node.group = group;
    }
  }

  /**
   * Resolves the longest constant prefix of a data path (`keys[i]` null = not a constant string): stops at the
   * first rule, at a non-constant element under a node with rules (the virtual document must be assembled and
   * then iterated), or where no rule lies below (base data).
   */
  resolve(keys: Array<string | null>): DataTarget {
    let node = this.root;
    for (let i = 0; i <= keys.length; i++) {
      if (node.group) return { kind: "rule", group: node.group, consumed: i };
      if (i === keys.length) return { kind: "virtual", node, consumed: i };
      const key = keys[i];
      if (key === null) return { kind: "virtual", node, consumed: i };
      const child = node.children.get(key);
      if (!child) return { kind: "base", consumed: i };
      node = child;
    }
    return { kind: "base", consumed: keys.length };
  }

  /** The function for a rule group; queued for generation on first request. */
  functionFor(group: RuleGroup): PlannedFunction {
    let fn = this.functions.get(group.key);
    if (!fn) {
      fn = { group, name: `rule:${group.key}`, index: this.functions.size };
      this.functions.set(group.key, fn);
      this.queue.push(fn);
    }
    return fn;
  }

  /** Next function still to generate (generation may queue more). */
  next(): PlannedFunction | undefined {
    return this.queue.shift();
  }

  get functionCount(): number {
    return this.functions.size;
  }
}
