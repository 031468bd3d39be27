import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { allStackNames } from "./helpers/landing-zone";

/**
 * End to end, as `cdktf synth` runs it: `node dist/main.js` (built by `npm run build`, which `npm test` runs
 * first) with BACKUP_AUDIT_CONFIG and CDKTF_OUTDIR, asserting on what lands on disk.
 */
const ROOT = path.resolve(__dirname, "..");
const MAIN = path.join(ROOT, "dist", "main.js");
const example = readFileSync(path.join(ROOT, "config", "example.yaml"), "utf8");

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "main-synth-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function runMain(configs: string[] | null, outdir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, NODE_OPTIONS: "" };
  if (configs) env.BACKUP_AUDIT_CONFIG = configs.join(",");
  else delete env.BACKUP_AUDIT_CONFIG;
  return spawnSync(process.execPath, [MAIN], { cwd: work, env, encoding: "utf8", timeout: 120_000 });
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

function writeConfig(name: string, text: string): string {
  const file = path.join(work, name);
  writeFileSync(file, text);
  return file;
}

test("the embedded example synthesizes the Control Tower layout: management, audit and log-archive accounts", () => {
  const outdir = path.join(work, "cdktf.out");
  const result = runMain(null, outdir);
  expect(result.stdout).toContain("synthesized 7 stack(s)");
  expect(result.status).toBe(0);
  const stackNames = readdirSync(path.join(outdir, "stacks")).sort();
  // The six of a landing zone with a frameworks StackSet and a trail, and the job alerts' StackSet (alerts.jobs).
  expect(stackNames).toEqual([...allStackNames("acme-prod"), "acme-prod-job-alert-members"].sort());
  const stackJson = (name: string) => JSON.parse(readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  // Which account each stack's provider targets, and the role it assumes there (none in the management account).
  const placement = Object.fromEntries(
    stackNames.map((name) => {
      const aws = stackJson(name).provider.aws[0];
      return [name, [aws.allowed_account_ids[0], aws.assume_role?.[0]?.role_arn ?? null]];
    }),
  );
  expect(placement).toEqual({
    "acme-prod-organization": ["111122223333", null],
    "acme-prod-member-frameworks": ["111122223333", null],
    "acme-prod-job-alert-members": ["111122223333", null],
    "acme-prod-audit-trail": ["111122223333", null],
    "acme-prod-reporting": ["222233334444", "arn:aws:iam::222233334444:role/AWSControlTowerExecution"],
    "acme-prod-analytics": ["222233334444", "arn:aws:iam::222233334444:role/AWSControlTowerExecution"],
    "acme-prod-trail-bucket": ["333344445555", "arn:aws:iam::333344445555:role/AWSControlTowerExecution"],
  });
  const trail = Object.values(stackJson("acme-prod-audit-trail").resource.aws_cloudtrail)[0] as Record<string, unknown>;
  expect(trail).toMatchObject({ is_organization_trail: true, s3_bucket_name: "acme-backup-trail-333344445555" });
  expect(Object.keys(stackJson("acme-prod-organization").resource.aws_organizations_delegated_administrator)).toHaveLength(1);
  const reporting = stackJson("acme-prod-reporting");
  const plans = Object.values(reporting.resource.aws_backup_report_plan) as Array<Record<string, any>>;
  expect(plans.map((p) => p.report_setting.report_template).sort()).toEqual([
    "BACKUP_JOB_REPORT",
    "CONTROL_COMPLIANCE_REPORT",
    "COPY_JOB_REPORT",
    "RESOURCE_COMPLIANCE_REPORT",
    "RESTORE_JOB_REPORT",
  ]);
  for (const plan of plans) expect(plan.report_delivery_channel.formats).toEqual(["CSV"]);
  // No scratch folders are left behind.
  expect(readdirSync(work).filter((f) => f.startsWith(".cdktf-synth-"))).toEqual([]);
});

test("two landing zones from a folder synthesize side by side with prefixed stack names", () => {
  const dir = path.join(work, "zones");
  cpSync(path.join(ROOT, "config", "example.yaml"), path.join(dir, "a.yaml"));
  writeFileSync(
    path.join(dir, "b.yaml"),
    example
      .replaceAll("111122223333", "444455556666")
      .replaceAll("222233334444", "555566667777")
      .replaceAll("333344445555", "666677778888")
      .replaceAll("o-abc123def4", "o-beta123def4")
      .replaceAll("acme-prod", "beta-prod")
      .replaceAll("acme_", "beta_")
      .replaceAll("acme-", "beta-"),
  );
  const outdir = path.join(work, "cdktf.out");
  const result = runMain([dir], outdir);
  expect(result.status).toBe(0);
  const stacks = readdirSync(path.join(outdir, "stacks")).sort();
  // Seven each: the embedded example and its renamed copy both have job alerts (their own StackSet stack).
  expect(stacks).toHaveLength(14);
  expect(stacks.filter((s) => s.startsWith("beta-prod-"))).toHaveLength(7);
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  expect(Object.keys(manifest.stacks).sort()).toEqual(stacks);
});

test("a policy violation stops synth, names the rule, and leaves the previous cdktf.out byte-identical", () => {
  const outdir = path.join(work, "cdktf.out");
  expect(runMain(null, outdir).status).toBe(0);
  const before = snapshot(outdir);
  const bad = writeConfig("bad.yaml", example.replace("  formats: [CSV]", "  formats: [CSV, JSON]"));
  const result = runMain([bad], outdir);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("policy violations in the landing-zone config; nothing was written");
  expect(result.stderr).toMatch(/BAI001 \[acme-prod\] reports\.formats/);
  expect(result.stderr).toContain(bad);
  expect(snapshot(outdir)).toEqual(before);
  expect(readdirSync(work).filter((f) => f.startsWith(".cdktf-synth-"))).toEqual([]);
});

test("synthesizing again keeps what terraform left in the stack folders", () => {
  const outdir = path.join(work, "cdktf.out");
  expect(runMain(null, outdir).status).toBe(0);
  const stackDir = path.join(outdir, "stacks", "acme-prod-reporting");
  writeFileSync(path.join(stackDir, ".terraform.lock.hcl"), "# providers locked by terraform init\n");
  expect(runMain(null, outdir).status).toBe(0);
  expect(readFileSync(path.join(stackDir, ".terraform.lock.hcl"), "utf8")).toBe("# providers locked by terraform init\n");
  expect(existsSync(path.join(stackDir, "cdk.tf.json"))).toBe(true);
});

test("an invalid config exits 2 with file, line and field, and writes nothing", () => {
  const outdir = path.join(work, "cdktf.out");
  const bad = writeConfig("bad.yaml", example.replace("organizationId: o-abc123def4", "organizationId: org-1"));
  const result = runMain([bad], outdir);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(`${bad}:9:1: organizationId: an organization id such as o-abc123def4`);
  expect(existsSync(outdir)).toBe(false);
});

test("unreadable configs exit 2 naming each file, without a stack trace (alias bomb, binary, Latin-1, no template, deep nesting)", () => {
  const outdir = path.join(work, "cdktf.out");
  let bomb = "name: bomb\na: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i <= 8; i++) bomb += `l${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]\n`;
  const files = [
    writeConfig("bomb.yaml", bomb),
    writeConfig("binary.yaml", "\u007fELF\u0000\u0000"),
    path.join(work, "latin1.yaml"),
    writeConfig("empty-templates.yaml", example.replace(/  templates: \[.*\]\n/, "  templates: []\n")),
    writeConfig("deep.yaml", `name: deep\ntags: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`),
  ];
  writeFileSync(files[2], Buffer.from(example.replace("platform-team", "équipe"), "latin1"));
  const result = runMain(files, outdir);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(`${files[0]}: YAML aliases expand to too many nodes`);
  expect(result.stderr).toContain(`${files[1]}: is a binary file`);
  expect(result.stderr).toContain(`${files[2]}:12:10: is not valid UTF-8 text`);
  expect(result.stderr).toMatch(new RegExp(`${files[3].replace(/[.]/g, "\\.")}:\\d+:3: reports\\.templates: list at least one report template`));
  expect(result.stderr).toMatch(new RegExp(`${files[4].replace(/[.]/g, "\\.")}:2:\\d+: YAML nested too deeply to parse`));
  expect(result.stderr).not.toMatch(/Error:|\n\s+at /);
  expect(existsSync(outdir)).toBe(false);
});
