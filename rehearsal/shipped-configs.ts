import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { transformSync } from "esbuild";
import { PROJECT_ROOT } from "../app/project-root";

/**
 * Every configuration the project ships, each synthesized on its own into a scratch folder, exactly as a user
 * would: the embedded example and the YAML examples through `bin/synth-app.js` (the policy gates included), the
 * library example as the cdktf app it is, importing this package.
 */
export interface ShippedConfig {
  /** A short label for output lines. */
  readonly label: string;
  /** BACKUP_AUDIT_CONFIG (undefined: the embedded example), or the library app's source for `library`. */
  readonly config?: string;
  readonly library?: boolean;
}

export function shippedConfigs(): ShippedConfig[] {
  const examples = path.join(PROJECT_ROOT, "examples");
  const yamlFiles = readdirSync(examples)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({ label: `examples/${f}`, config: path.join(examples, f) }));
  return [
    { label: "config/example.yaml (embedded)" },
    ...yamlFiles,
    { label: "examples/service-provider/", config: path.join(examples, "service-provider") },
    { label: "examples/library/main.ts", config: path.join(examples, "library", "main.ts"), library: true },
  ];
}

/** A synth that failed: the config, the exit code and what it printed. */
export class SynthError extends Error {}

/**
 * Synthesizes one shipped config into `outdir` and returns its stacks folder (`<outdir>/stacks`). The YAML
 * configs and the embedded example go through `bin/synth-app.js`; the library example is transpiled with
 * esbuild and run with `backup-audit-insights`, `cdktf` and `constructs` resolved to this checkout.
 */
export function synthShippedConfig(config: ShippedConfig, outdir: string): string {
  mkdirSync(outdir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir };
  delete env.BACKUP_AUDIT_CONFIG;
  let run;
  if (config.library && config.config) {
    const appDir = path.join(outdir, "app");
    const modules = path.join(appDir, "node_modules");
    mkdirSync(modules, { recursive: true });
    // The package's own entry point is dist/index.js: build first (npm run build) when it is missing.
    if (!existsSync(path.join(PROJECT_ROOT, "dist", "index.js"))) throw new SynthError("dist/index.js is missing: run `npm run build` first");
    for (const [name, target] of [
      ["backup-audit-insights", PROJECT_ROOT],
      ["cdktf", path.join(PROJECT_ROOT, "node_modules", "cdktf")],
      ["constructs", path.join(PROJECT_ROOT, "node_modules", "constructs")],
    ] as const) {
      if (!existsSync(path.join(modules, name))) symlinkSync(target, path.join(modules, name), "dir");
    }
    const js = transformSync(readFileSync(config.config, "utf8"), { loader: "ts", format: "cjs", platform: "node", target: "node20" });
    writeFileSync(path.join(appDir, "main.js"), js.code);
    run = spawnSync(process.execPath, [path.join(appDir, "main.js")], { cwd: appDir, env, encoding: "utf8" });
  } else {
    if (config.config) env.BACKUP_AUDIT_CONFIG = config.config;
    run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "bin", "synth-app.js")], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
  }
  if (run.status !== 0) {
    throw new SynthError(`synth of ${config.label} exited ${run.status}:\n${(run.stderr || run.stdout).trim().slice(-4000)}`);
  }
  const stacks = path.join(outdir, "stacks");
  if (!existsSync(stacks) || readdirSync(stacks).length === 0) throw new SynthError(`synth of ${config.label} wrote no stacks into ${stacks}`);
  return stacks;
}
