import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.join(__dirname, "..");

// The consumer test (scripts/consumer-test.sh) compiles and synthesizes examples/library/main.ts; the README
// must show that same file, so the example users copy is the one that was built.
test("the README's library example is examples/library/main.ts, verbatim", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const block = /<!-- library-example:start -->\n```ts\n([\s\S]*?)```\n<!-- library-example:end -->/.exec(readme);
  expect(block).not.toBeNull();
  expect(block![1]).toBe(readFileSync(path.join(root, "examples", "library", "main.ts"), "utf8"));
});

test("the example imports only the package's entry point", () => {
  const example = readFileSync(path.join(root, "examples", "library", "main.ts"), "utf8");
  const imports = [...example.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
  expect(imports).toEqual(["cdktf", "backup-audit-insights"]);
});
