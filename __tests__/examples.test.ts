import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { TerraformStack } from "cdktf";
import { loadLandingZones } from "../config/loader";
import { evaluateConfigPolicies, evaluateTerraformPolicies } from "../policies/gate";
import { buildLandingZoneStacks } from "../stacks/landing-zone";
import { cleanup, dummyJobAlertsPackage, dummyPartitionerPackage, resourceList, synthStack, testApp, type TerraformJson } from "./helpers/landing-zone";

/**
 * Every shipped config (the embedded example and examples/) passes the config gate, synthesizes, passes the
 * post-synth gate, and is described by a line of the README.
 */
const ROOT = path.resolve(__dirname, "..");
const EXAMPLES = path.join(ROOT, "examples");

afterAll(cleanup);

/** The runs the README documents: the embedded example, each file of examples/, the service-provider folder. */
const RUNS: Array<[string, string[]]> = [
  ["config/example.yaml", [path.join(ROOT, "config", "example.yaml")]],
  ...readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".yaml"))
    .map((f): [string, string[]] => [`examples/${f}`, [path.join(EXAMPLES, f)]]),
  ["examples/service-provider/", [path.join(EXAMPLES, "service-provider")]],
];

async function synthRun(files: string[]): Promise<Record<string, TerraformJson>> {
  const lzs = await loadLandingZones(files);
  expect(await evaluateConfigPolicies(lzs)).toEqual([]);
  const app = testApp();
  const out: Record<string, TerraformJson> = {};
  for (const lz of lzs) {
    const stacks = buildLandingZoneStacks(app, lz, {
      partitionerPackage: dummyPartitionerPackage(),
      jobAlertsPackage: dummyJobAlertsPackage(),
      namedQueries: [{ name: "q", description: "d", sql: "SELECT 1" }],
    });
    for (const stack of Object.values(stacks) as TerraformStack[]) out[stack.node.id] = synthStack(stack);
  }
  return out;
}

describe.each(RUNS)("%s", (label, files) => {
  let stacks: Record<string, TerraformJson>;
  beforeAll(async () => {
    stacks = await synthRun(files);
  });

  it("passes both policy gates", async () => {
    expect(Object.keys(stacks).length).toBeGreaterThan(0);
    expect(await evaluateTerraformPolicies(stacks)).toEqual([]);
  });

  it("is described in the README", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toMatch(new RegExp(`^\\| \`${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\` \\|`, "m"));
  });
});

test("the service provider's customers: one on Control Tower's existing trail, one with its own trail", async () => {
  const stacks = await synthRun([path.join(EXAMPLES, "service-provider")]);
  expect(Object.keys(stacks).filter((s) => s.startsWith("cust-a-")).sort()).toEqual([
    "cust-a-analytics",
    "cust-a-member-frameworks",
    "cust-a-organization",
    "cust-a-reporting",
  ]);
  expect(Object.keys(stacks).filter((s) => s.startsWith("cust-b-")).sort()).toEqual([
    "cust-b-analytics",
    "cust-b-audit-trail",
    "cust-b-organization",
    "cust-b-reporting",
    "cust-b-trail-bucket",
  ]);
  expect(resourceList(stacks["cust-b-organization"], "aws_organizations_organization")).toHaveLength(1);
});

test("the customer-managed-keys example creates rotating keys for the reports, the Athena results and no trail key (one is named)", async () => {
  const stacks = await synthRun([path.join(EXAMPLES, "customer-managed-keys.yaml")]);
  const keys = Object.fromEntries(Object.entries(stacks).map(([name, tf]) => [name, resourceList(tf, "aws_kms_key")]));
  expect(keys["secure-prod-reporting"]).toHaveLength(1);
  // The Athena results key, and the alarm topic's key that every analytics stack has.
  expect(keys["secure-prod-analytics"].map((k) => String(k.description).split(" ")[0]).sort()).toEqual(["Athena", "Encrypts"]);
  expect(keys["secure-prod-audit-trail"]).toHaveLength(0);
  for (const key of [...keys["secure-prod-reporting"], ...keys["secure-prod-analytics"]]) expect(key.enable_key_rotation).toBe(true);
  expect(resourceList(stacks["secure-prod-audit-trail"], "aws_cloudtrail")[0].kms_key_id).toBe(
    "arn:aws:kms:eu-central-1:510000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  );
});
