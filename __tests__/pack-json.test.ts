import { spawnSync } from "node:child_process";
import path from "node:path";

/**
 * Tools read `npm pack --json` and `npm run build:lambda` as data: the prepack build's progress (the Lambda
 * bundler's line) must go to stderr, or the JSON on stdout does not parse.
 */
const ROOT = path.resolve(__dirname, "..");

function npm(args: string[]) {
  return spawnSync("npm", args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" }, timeout: 300_000 });
}

test("the Lambda bundler prints its progress on stderr only", () => {
  const r = npm(["run", "--silent", "build:lambda"]);
  expect(r.status).toBe(0);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^partitioner bundle lambdas\/partitioner\/dist\/index\.js: \d+ bytes/);
}, 120_000);

test("npm pack --dry-run --json prints JSON only, listing the package's files", () => {
  const r = npm(["pack", "--dry-run", "--json"]);
  expect(r.status).toBe(0);
  const [pack] = JSON.parse(r.stdout) as Array<{ name: string; files: Array<{ path: string }> }>;
  expect(pack.name).toBe("backup-audit-insights");
  const files = pack.files.map((f) => f.path);
  expect(files).toContain("dist/cli/index.js");
  expect(files).toContain("lambdas/partitioner/dist/partitioner.zip");
  // The CLI in an installed package runs dist/ as shipped: no sources, so no build on first use.
  expect(files.filter((f) => f.startsWith("scripts/") || f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
}, 300_000);
