// Checks a cdktf app that installed the packed tarball (scripts/consumer-test.sh prepares it and runs this file
// with node's test runner). CONSUMER_APP: the app folder; TARBALL: the .tgz; CDKTF_CLI: the cdktf command.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const app = process.env.CONSUMER_APP;
const tarball = process.env.TARBALL;
const cdktf = process.env.CDKTF_CLI;
if (!app || !tarball || !cdktf) throw new Error("run through scripts/consumer-test.sh (CONSUMER_APP, TARBALL, CDKTF_CLI unset)");

const installed = path.join(app, "node_modules", "backup-audit-insights");
const env = { ...process.env, CHECKPOINT_DISABLE: "1", FORCE_COLOR: "0" };

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: app, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

function stack(outdir, name) {
  return readJson(path.join(app, outdir, "stacks", name, "cdk.tf.json"));
}

test("the tarball holds what runtime needs and nothing internal", () => {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").map((f) => f.replace(/^package\//, ""));
  const size = statSync(tarball).size;
  console.log(`tarball ${path.basename(tarball)}: ${files.length} files, ${size} bytes (${(size / 1024).toFixed(1)} KiB)`);
  for (const needed of [
    "package.json",
    "dist/index.js",
    "dist/index.d.ts",
    "dist/stacks/landing-zone-construct.d.ts",
    "bin/backup-audit.js",
    "policies/build/manifest.json",
    "policies/build/config.wasm",
    "policies/build/terraform.wasm",
    "policies/config/report_formats.rego",
    "queries/04_failed_backup_jobs_in_region.sql",
    "queries/report/02_report_backup_jobs_by_account_day.sql",
    "dist/dashboard/html.js",
    "lambdas/partitioner/dist/partitioner.zip",
    "config/example.yaml",
  ]) {
    assert.ok(files.includes(needed), `${needed} is in the tarball`);
  }
  const internal = files.filter((f) => /(^|\/)(__tests__|bench|fixtures|scripts)\/|_test\.rego$|\.test\.|\.tsbuildinfo$|^dist\/main\.|(?<!\.d)\.ts$/.test(f));
  assert.deepEqual(internal, []);
});

test("only the package's entry point is importable", () => {
  const deep = run(process.execPath, ["-e", 'require("backup-audit-insights/dist/config/loader")']);
  assert.notEqual(deep.code, 0);
  assert.match(deep.out, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  const root = run(process.execPath, ["-e", 'const l = require("backup-audit-insights"); console.log(typeof l.LandingZone, typeof l.evaluateConfigPoliciesSync, typeof l.SecureBucket)']);
  assert.equal(root.out.trim(), "function function function");
});

test("the README example compiles with tsc (strict) against the package's .d.ts", () => {
  const r = run(process.execPath, [path.join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "."]);
  assert.equal(r.code, 0, r.out);
  assert.ok(existsSync(path.join(app, "main.js")));
});

test("cdktf synth builds both landing zones' stacks", () => {
  const r = run(cdktf, ["synth", "--output", "cdktf.out"]);
  assert.equal(r.code, 0, r.out);
  const manifest = readJson(path.join(app, "cdktf.out", "manifest.json"));
  assert.deepEqual(Object.keys(manifest.stacks).sort(), [
    "acme-prod-analytics",
    "acme-prod-audit-trail",
    "acme-prod-member-frameworks",
    "acme-prod-organization",
    "acme-prod-reporting",
    "acme-prod-trail-bucket",
    "acme-sandbox-organization",
    "acme-sandbox-reporting",
  ]);
  assert.deepEqual(manifest.stacks["acme-prod-analytics"].dependencies, ["acme-prod-reporting"]);
  assert.deepEqual(manifest.stacks["acme-sandbox-reporting"].dependencies, ["acme-sandbox-organization"]);

  const prod = stack("cdktf.out", "acme-prod-reporting");
  const buckets = Object.values(prod.resource.aws_s3_bucket).map((b) => b.bucket).sort();
  assert.deepEqual(buckets, ["acme-backup-reports-111122223333", "acme-backup-reports-logs-111122223333"]);
  assert.equal(Object.keys(prod.resource.aws_backup_report_plan).length, 5);
  assert.deepEqual(prod.provider.aws[0].default_tags, [{ tags: { "backup-audit:landing-zone": "acme-prod", owner: "platform-team" } }]);

  const sandbox = stack("cdktf.out", "acme-sandbox-reporting");
  const plans = Object.values(sandbox.resource.aws_backup_report_plan);
  assert.deepEqual(plans.map((p) => p.name).sort(), ["acme_sandbox_backup_job_report", "acme_sandbox_restore_job_report"]);
  for (const p of plans) assert.deepEqual(p.report_setting.organization_units, ["ou-abcd-sandbox1"]);

  const trail = Object.values(stack("cdktf.out", "acme-prod-audit-trail").resource.aws_cloudtrail);
  assert.equal(trail.length, 1);
  assert.equal(trail[0].is_organization_trail, true);

  // The Lambda's code is the zip shipped in the package, resolved from the installed package's folder.
  const analytics = stack("cdktf.out", "acme-prod-analytics");
  const fn = Object.values(analytics.resource.aws_lambda_function);
  assert.equal(fn.length, 1);
  const assets = path.join(app, "cdktf.out", "stacks", "acme-prod-analytics", "assets");
  const zips = readdirSync(assets, { recursive: true }).filter((f) => String(f).endsWith(".zip"));
  assert.equal(zips.length, 1);
  assert.deepEqual(readFileSync(path.join(assets, String(zips[0]))), readFileSync(path.join(installed, "lambdas", "partitioner", "dist", "partitioner.zip")));
});

test("backup-audit stacks --order prints the deployment order of the synth output", () => {
  const r = run(path.join(app, "node_modules", ".bin", "backup-audit"), ["stacks", "--order"]);
  assert.equal(r.code, 0, r.out);
  const order = r.out.trim().split("\n");
  assert.equal(order.length, 8);
  const manifest = readJson(path.join(app, "cdktf.out", "manifest.json"));
  for (const [name, s] of Object.entries(manifest.stacks)) {
    for (const dep of s.dependencies) assert.ok(order.indexOf(dep) < order.indexOf(name), `${dep} before ${name}`);
  }
});

test("a landing zone that breaks a policy is refused at synth with the validate command's message", () => {
  const r = run(cdktf, ["synth", "--app", "node bad-landing-zone.js", "--output", "bad.out"]);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /Policy violations in the landing-zone config "acme-bad"; this stack is not synthesized:/);
  assert.match(r.out, /bad-landing-zone\.ts: BAI001 \[acme-bad\] reports\.formats: report plans .* which AWS Backup delivers only as CSV, but formats is \[JSON\]/);
  assert.match(r.out, /fix: set reports\.formats to \[CSV\]/);
  assert.equal(existsSync(path.join(app, "bad.out", "manifest.json")), false);
  assert.equal(existsSync(path.join(app, "bad.out", "stacks", "acme-bad-organization", "cdk.tf.json")), false);
});
