import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { normalizeLandingZone } from "../config/normalize";
import { landingZoneConfigSchema } from "../config/schema";
import type { NormalizedLandingZone } from "../config/types";

/** Shared by the policy-gate tests: the example config as plain data, to mutate one field per test. */

export const ROOT = path.resolve(__dirname, "..");
export const EXAMPLE_FILE = path.join(ROOT, "config", "example.yaml");

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
