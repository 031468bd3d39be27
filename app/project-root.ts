import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The folder holding the project's package.json, found upwards from `start`: modules run from their sources
 * (ts-jest) and from dist/ (node), so paths to config/, policies/ or lambdas/ are resolved from here.
 * Returns `start` when no package.json is above it.
 */
export function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
