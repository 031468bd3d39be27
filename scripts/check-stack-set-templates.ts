import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../app/project-root";

/**
 * `npm run check:cfn`: cfn-lint (pinned, installed by scripts/ensure-cfn-lint.sh outside the clone) on every
 * CloudFormation template the synthesized stacks hand to a StackSet (`aws_cloudformation_stack_set.template_body`
 * in `cdktf.out/stacks/<stack>/cdk.tf.json`): what CloudFormation will receive, not a copy. The embedded example
 * has both StackSets (member frameworks, job alerts); fewer templates than `--expect` (default 2) is a failure,
 * so that a run that lints nothing cannot pass. Exit 0: clean; 1: findings (errors, warnings or informational);
 * 2: nothing to lint or cfn-lint broken.
 */

export interface StackSetTemplate {
  readonly stack: string;
  readonly resourceId: string;
  readonly name: string;
  readonly body: string;
}

/** The StackSet templates of synthesized stacks (stack name → cdk.tf.json). Pure. */
export function stackSetTemplates(stacks: Readonly<Record<string, unknown>>): StackSetTemplate[] {
  const found: StackSetTemplate[] = [];
  for (const [stack, doc] of Object.entries(stacks)) {
    const resources = (doc as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource ?? {};
    for (const [resourceId, r] of Object.entries(resources.aws_cloudformation_stack_set ?? {})) {
      if (typeof r.template_body !== "string") throw new Error(`${stack}: aws_cloudformation_stack_set.${resourceId} has no literal template_body`);
      found.push({ stack, resourceId, name: String(r.name), body: r.template_body });
    }
  }
  return found.sort((a, b) => a.stack.localeCompare(b.stack) || a.resourceId.localeCompare(b.resourceId));
}

function fail(message: string, code = 2): never {
  process.stderr.write(`check:cfn: ${message}\n`);
  process.exit(code);
}

function main(): void {
  const args = process.argv.slice(2);
  const expectAt = args.indexOf("--expect");
  const expected = expectAt >= 0 ? Number(args[expectAt + 1]) : 2;
  const stacksDir = args.find((a, i) => !a.startsWith("--") && (expectAt < 0 || i !== expectAt + 1)) ??
    path.join(process.env.CDKTF_OUTDIR ?? path.join(PROJECT_ROOT, "cdktf.out"), "stacks");
  if (!existsSync(stacksDir)) fail(`no synthesized stacks in ${stacksDir}: run \`npm run synth\` first`);
  const stacks: Record<string, unknown> = {};
  for (const name of readdirSync(stacksDir)) {
    const file = path.join(stacksDir, name, "cdk.tf.json");
    if (existsSync(file)) stacks[name] = JSON.parse(readFileSync(file, "utf8"));
  }
  const templates = stackSetTemplates(stacks);
  if (templates.length < expected) {
    fail(`found ${templates.length} StackSet template(s) in ${stacksDir}, expected at least ${expected} (the embedded example has the frameworks and the job-alerts StackSets)`);
  }
  const install = spawnSync("bash", [path.join(PROJECT_ROOT, "scripts", "ensure-cfn-lint.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (install.status !== 0) fail("scripts/ensure-cfn-lint.sh failed (output above)");
  const cfnLint = install.stdout.trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), "check-cfn-"));
  let findings = 0;
  try {
    for (const t of templates) {
      const file = path.join(dir, `${t.stack}.${t.resourceId}.json`);
      // Pretty-printed so that cfn-lint's line numbers point somewhere readable.
      writeFileSync(file, `${JSON.stringify(JSON.parse(t.body), null, 2)}\n`);
      const run = spawnSync(cfnLint, ["--format", "parseable", "--", file], { encoding: "utf8" });
      if (run.error) fail(`cfn-lint did not run: ${run.error.message}`);
      // cfn-lint's exit code is a bit mask of the finding levels (2 error, 4 warning, 8 informational); 1 is a crash.
      if (run.status === 1) fail(`cfn-lint crashed on ${t.stack} ${t.name}:\n${run.stderr}${run.stdout}`);
      const lines = run.stdout.split("\n").filter((l) => l.trim() !== "");
      if (run.status !== 0 || lines.length > 0) {
        findings += Math.max(1, lines.length);
        process.stdout.write(`cfn-lint: ${t.stack} StackSet ${t.name}: ${lines.length} finding(s) (exit ${run.status})\n${lines.map((l) => `  ${l}`).join("\n")}\n`);
      } else {
        const resources = Object.keys((JSON.parse(t.body) as { Resources?: Record<string, unknown> }).Resources ?? {}).length;
        process.stdout.write(`cfn-lint: ${t.stack} StackSet ${t.name}: ${resources} resource(s), no findings\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const version = spawnSync(cfnLint, ["--version"], { encoding: "utf8" }).stdout.trim();
  if (findings > 0) fail(`${findings} finding(s) in ${templates.length} template(s) (${version})`, 1);
  process.stdout.write(`check:cfn: ${templates.length} StackSet template(s) clean (${version})\n`);
}

if (require.main === module) main();
