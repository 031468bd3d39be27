import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { synthesizeLandingZones } from "../app/synth";
import { ConfigError } from "../config/loader";
import type { LandingZoneConfigInput } from "../config/schema";
import { LandingZone, evaluateConfigPoliciesSync, formatViolations } from "../index";
import { allStackNames, cleanup, dummyPartitionerPackage, exampleInput, landingZone } from "./helpers/landing-zone";
import { evaluateConfigPolicies, evaluateTerraformPolicies } from "../policies/gate";

afterAll(cleanup);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "library-lz-"));
  dirs.push(d);
  return d;
}

/** A second landing zone: no audit trail, its own names and framework (BAI052: the StackSets meet), analytics off. */
function second(): LandingZoneConfigInput {
  const base = exampleInput();
  return {
    ...base,
    name: "acme-dev",
    auditTrail: undefined,
    deployment: { roleName: "OrganizationAccountAccessRole" },
    reports: {
      ...base.reports,
      bucketName: "acme-dev-reports-111122223333",
      accessLogBucketName: "acme-dev-reports-logs-111122223333",
      frameworks: [{ name: "acme_dev_baseline", controls: [{ name: "BACKUP_RECOVERY_POINT_ENCRYPTED" }] }],
    },
    analytics: { enabled: false },
  };
}

interface Manifest {
  stacks: Record<string, { dependencies: string[]; synthesizedStackPath: string }>;
}

function readManifest(outdir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;
}

describe("LandingZone construct", () => {
  const partitionerPackage = dummyPartitionerPackage();

  it("creates each landing zone's stacks with the dependencies cdktf deploy orders by", () => {
    const outdir = tmp();
    const app = new App({ outdir });
    const prod = new LandingZone(app, "prod", { config: exampleInput(), partitionerPackage });
    const dev = new LandingZone(app, "dev", { config: second(), partitionerPackage });
    app.synth();

    expect(prod.stackList().map((s) => s.node.id)).toEqual([
      "acme-prod-organization",
      "acme-prod-reporting",
      "acme-prod-member-frameworks",
      "acme-prod-analytics",
      "acme-prod-trail-bucket",
      "acme-prod-audit-trail",
    ]);
    expect(dev.stackList().map((s) => s.node.id)).toEqual(["acme-dev-organization", "acme-dev-reporting", "acme-dev-member-frameworks"]);
    const manifest = readManifest(outdir);
    expect(Object.keys(manifest.stacks).sort()).toEqual([
      "acme-dev-member-frameworks",
      "acme-dev-organization",
      "acme-dev-reporting",
      ...allStackNames("acme-prod"),
    ]);
    expect(manifest.stacks["acme-prod-analytics"].dependencies).toEqual(["acme-prod-reporting"]);
    expect(manifest.stacks["acme-dev-reporting"].dependencies).toEqual(["acme-dev-organization"]);
    expect(dev.landingZone.reports.bucketName).toBe("acme-dev-reports-111122223333");
  });

  it("synthesizes the same Terraform as the YAML path (app/synth.ts)", async () => {
    const fromLibrary = tmp();
    const app = new App({ outdir: fromLibrary });
    new LandingZone(app, "prod", { config: exampleInput(), partitionerPackage, source: landingZone().sourceFile });
    app.synth();

    const fromYaml = path.join(tmp(), "out");
    const outcome = await synthesizeLandingZones([landingZone()], {
      outdir: fromYaml,
      partitionerPackage,
      gates: { config: (zones) => evaluateConfigPolicies(zones), terraform: evaluateTerraformPolicies },
    });
    expect(outcome.ok).toBe(true);
    for (const stack of Object.keys(readManifest(fromYaml).stacks)) {
      const file = path.join("stacks", stack, "cdk.tf.json");
      const lib = JSON.parse(fs.readFileSync(path.join(fromLibrary, file), "utf8")) as Record<string, unknown>;
      const yaml = JSON.parse(fs.readFileSync(path.join(fromYaml, file), "utf8")) as Record<string, unknown>;
      // Resources and providers; the Lambda's asset path is inside them, so the shipped zip is the same too.
      expect(lib.resource).toEqual(yaml.resource);
      expect(lib.provider).toEqual(yaml.provider);
    }
  });

  it("refuses a landing zone that breaks a config policy, with the messages of backup-audit validate", () => {
    const base = exampleInput();
    const bad: LandingZoneConfigInput = { ...base, reports: { ...base.reports, formats: ["CSV", "JSON"] } };
    const outdir = tmp();
    const app = new App({ outdir });
    const zone = new LandingZone(app, "prod", { config: bad, partitionerPackage, source: "zones.ts" });
    const expected = formatViolations(evaluateConfigPoliciesSync([zone.landingZone]), "text").trimEnd();
    expect(expected).toContain("zones.ts: BAI001 [acme-prod] reports.formats:");

    expect(() => app.synth()).toThrow(`Policy violations in the landing-zone config "acme-prod"; this stack is not synthesized:\n${expected}`);
    expect(fs.existsSync(path.join(outdir, "manifest.json"))).toBe(false);
    expect(fs.existsSync(path.join(outdir, "stacks", "acme-prod-organization", "cdk.tf.json"))).toBe(false);
  });

  it("checks landing zones together: a bucket name used by two of them refuses the second", () => {
    const app = new App({ outdir: tmp() });
    new LandingZone(app, "prod", { config: exampleInput(), partitionerPackage });
    const clash = { ...second(), reports: { ...exampleInput().reports } };
    new LandingZone(app, "dev", { config: clash, partitionerPackage });
    expect(() => app.synth()).toThrow(/\[acme-dev-organization\] Policy violations in the landing-zone config "acme-dev"[\s\S]*\nLandingZone dev: BAI025 \[acme-dev\] reports\.bucketName: bucket acme-backup-reports-111122223333 \(reports\) is also a bucket of landing zone acme-prod/);
  });

  it("refuses a stack whose synthesized Terraform breaks a post-synth policy", () => {
    const outdir = tmp();
    const app = new App({ outdir });
    const zone = new LandingZone(app, "prod", { config: exampleInput(), partitionerPackage });
    new S3Bucket(zone.stacks.reporting, "unencrypted", { bucket: "acme-extra-111122223333" });
    expect(() => app.synth()).toThrow(
      /\[acme-prod-reporting\] Policy violations in the synthesized Terraform of acme-prod-reporting; this stack is not synthesized:\nstacks\/acme-prod-reporting\/cdk\.tf\.json: BAI101 resource\.aws_s3_bucket\.unencrypted: /,
    );
    // Stacks before it passed and were written; no manifest, so neither cdktf deploy nor terraform can use them.
    expect(fs.existsSync(path.join(outdir, "manifest.json"))).toBe(false);
  });

  it("adds a platform team's own Rego rules (policyDirs, compiled by opa) to the config gate", () => {
    const app = new App({ outdir: tmp() });
    const ownerTag = path.join(__dirname, "..", "examples", "policies", "owner-tag");
    new LandingZone(app, "prod", { config: exampleInput(), partitionerPackage, policyDirs: [ownerTag], source: "zones.ts" });
    expect(() => app.synth()).toThrow(
      "zones.ts: ACME001 [acme-prod] tags: landing zone acme-prod has no cost-center tag, which ACME's cost reports and on-call routing read\n    fix: add cost-center: <value> under tags",
    );
  });

  it("refuses synth when the gate cannot run, saying why", () => {
    const app = new App({ outdir: tmp() });
    new LandingZone(app, "prod", { config: exampleInput(), partitionerPackage, policyDirs: ["/nonexistent/rules"] });
    expect(() => app.synth()).toThrow(
      "[acme-prod-organization] The policy gate cannot run: custom policy folder /nonexistent/rules does not exist (give a folder of .rego files)",
    );
  });

  it("lets cdktf's skipValidation skip the gate, like every cdktf validation", () => {
    const base = exampleInput();
    const outdir = tmp();
    const app = new App({ outdir, skipValidation: true });
    new LandingZone(app, "prod", { config: { ...base, reports: { ...base.reports, formats: ["JSON"] } }, partitionerPackage });
    app.synth();
    expect(Object.keys(readManifest(outdir).stacks)).toHaveLength(6);
  });

  it("throws a ConfigError naming the field for a config the schema refuses", () => {
    const app = new App({ outdir: tmp() });
    const config = { ...exampleInput(), managementAccountId: "1234" };
    let error: unknown;
    try {
      new LandingZone(app, "prod", { config, partitionerPackage, source: "zones.ts" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('zones.ts: managementAccountId: a 12-digit AWS account id, quoted in YAML ("111122223333")');
  });

  it("names a missing partitioner package", () => {
    const app = new App({ outdir: tmp() });
    expect(() => new LandingZone(app, "prod", { config: exampleInput(), partitionerPackage: "/nonexistent/partitioner.zip" })).toThrow(
      "partitioner package missing at /nonexistent/partitioner.zip",
    );
  });
});
