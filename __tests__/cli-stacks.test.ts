import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { App } from "cdktf";
import { runStacks, type StacksOptions } from "../cli/commands/stacks";
import { LandingZone } from "../index";
import { cleanup, dummyPartitionerPackage, exampleInput } from "./helpers/landing-zone";

afterAll(cleanup);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "cli-stacks-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function run(options: Partial<StacksOptions>): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const code = runStacks(
    { dir: path.join(work, "cdktf.out"), order: false, reverse: false, paths: false, ...options },
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
  );
  return { code, stdout, stderr };
}

beforeAll(() => {
  // A real synth: two landing zones, the second without analytics or trail.
  const app = new App({ outdir: path.join(work, "cdktf.out") });
  const partitionerPackage = dummyPartitionerPackage();
  const base = exampleInput();
  new LandingZone(app, "dev", {
    partitionerPackage,
    config: {
      ...base,
      name: "acme-dev",
      auditTrail: undefined,
      analytics: { enabled: false },
      reports: {
        ...base.reports,
        bucketName: "acme-dev-reports-111122223333",
        accessLogBucketName: "acme-dev-logs-111122223333",
        // A framework of its own: both StackSets deploy to the organization root (BAI052).
        frameworks: [{ name: "acme_dev_baseline", controls: [{ name: "BACKUP_RECOVERY_POINT_ENCRYPTED" }] }],
      },
    },
  });
  new LandingZone(app, "prod", { partitionerPackage, config: base });
  app.synth();
});

describe("backup-audit stacks", () => {
  it("--order prints every stack after the stacks it depends on, in manifest order otherwise", () => {
    // cdktf's manifest lists stacks by name: the first stack whose dependencies are done comes next.
    const result = run({ order: true });
    expect(result).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "acme-dev-organization",
        "acme-dev-member-frameworks",
        "acme-dev-reporting",
        "acme-prod-organization",
        "acme-prod-member-frameworks",
        "acme-prod-reporting",
        "acme-prod-analytics",
        "acme-prod-trail-bucket",
        "acme-prod-audit-trail",
        "",
      ].join("\n"),
    });
  });

  it("--reverse prints the destroy order and --paths the stack folders", () => {
    const result = run({ reverse: true, paths: true });
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(path.join(work, "cdktf.out", "stacks", "acme-prod-audit-trail"));
    expect(lines[lines.length - 1]).toBe(path.join(work, "cdktf.out", "stacks", "acme-dev-organization"));
    for (const dir of lines) expect(fs.existsSync(path.join(dir, "cdk.tf.json"))).toBe(true);
  });

  it("without --order lists each stack with its dependencies", () => {
    expect(run({}).stdout).toContain("acme-prod-analytics (after acme-prod-reporting)\n");
  });

  it("runs as the installed command", () => {
    const bin = path.join(__dirname, "..", "bin", "backup-audit.js");
    const out = execFileSync(process.execPath, [bin, "stacks", "--order", "--dir", path.join(work, "cdktf.out")], { encoding: "utf8" });
    expect(out.split("\n")[0]).toBe("acme-dev-organization");
  });

  it("exits 2 naming the fix when there is no synth output", () => {
    const result = run({ order: true, dir: path.join(work, "missing") });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`stacks: ${path.join(work, "missing", "manifest.json")} does not exist: synthesize first (npm run synth or cdktf synth), or name the output folder with --dir\n`);
  });

  it("exits 2 on a dependency cycle or an unknown dependency", () => {
    const dir = path.join(work, "broken");
    fs.mkdirSync(dir, { recursive: true });
    const manifest = (stacks: Record<string, string[]>) =>
      fs.writeFileSync(
        path.join(dir, "manifest.json"),
        JSON.stringify({ version: "0.21.0", stacks: Object.fromEntries(Object.entries(stacks).map(([n, d]) => [n, { name: n, constructPath: n, dependencies: d }])) }),
      );
    manifest({ a: ["b"], b: ["a"], c: [] });
    expect(run({ order: true, dir }).stderr).toBe("stacks: stack dependencies form a cycle among a, b: remove one of the addDependency calls\n");
    manifest({ a: ["gone"] });
    const result = run({ order: true, dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("stacks: stack a depends on gone, which the manifest does not list: synthesize again\n");
  });
});
