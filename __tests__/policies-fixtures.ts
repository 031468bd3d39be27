import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { normalizeLandingZone } from "../config/normalize";
import { landingZoneConfigSchema } from "../config/schema";
import type { NormalizedLandingZone } from "../config/types";

/** Shared by the policy-gate tests: the example config as plain data, to mutate one field per test. */

export const ROOT = path.resolve(__dirname, "..");
export const EXAMPLE_FILE = path.join(ROOT, "__tests__", "fixtures", "landing-zone.yaml");

/** A YAML mapping, loosely typed so that tests can break it in ways the TypeScript types would not allow. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RawConfig = Record<string, any>;

export function exampleRaw(): RawConfig {
  return parse(readFileSync(EXAMPLE_FILE, "utf8")) as RawConfig;
}

/** The example with `mutate` applied, through the schema and normalisation, as the loader would return it. */
export function mutatedLandingZone(mutate: (c: RawConfig) => void, file = "/configs/acme-prod.yaml"): NormalizedLandingZone {
  const raw = exampleRaw();
  mutate(raw);
  return normalizeLandingZone(landingZoneConfigSchema.parse(raw), file);
}

/** A raw config through the schema and normalisation, as the loader would return it for `file`. */
export function normalizedFromRaw(raw: RawConfig, file: string): NormalizedLandingZone {
  return normalizeLandingZone(landingZoneConfigSchema.parse(raw), file);
}

/**
 * Makes the example another landing zone of the same accounts, with names of its own: landing-zone name (so
 * plan and trail names), buckets, Glue database, Athena workgroup and framework (its StackSet deploys into the same
 * accounts: one name or equal controls there would clash, BAI052). Two such landing zones pass together.
 */
export function asLandingZone(name: string): (c: RawConfig) => void {
  return (c) => {
    c.name = name;
    const own = (bucket: string) => bucket.replace(/^acme-/, `${name}-`);
    c.reports.bucketName = own(c.reports.bucketName);
    c.reports.accessLogBucketName = own(c.reports.accessLogBucketName);
    c.auditTrail.bucketName = own(c.auditTrail.bucketName);
    c.auditTrail.accessLogBucketName = own(c.auditTrail.accessLogBucketName);
    c.analytics.databaseName = `${name.replace(/-/g, "_")}_reports`;
    c.analytics.workgroup = `${name}-reports`;
    c.reports.frameworks = [
      {
        name: `${name.replace(/-/g, "_")}_backup_baseline`,
        controls: [
          {
            name: "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
            parameters: { principalArnList: `arn:aws:iam::111122223333:role/${name}-backup-admin` },
          },
        ],
      },
    ];
  };
}
