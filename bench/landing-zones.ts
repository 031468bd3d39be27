import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { EXAMPLE_CONFIG } from "../config/loader";
import { normalizeLandingZone } from "../config/normalize";
import { landingZoneConfigSchema, type LandingZoneConfigInput } from "../config/schema";
import type { NormalizedLandingZone } from "../config/types";

/**
 * N landing zones derived from the example, each in its own accounts so that cross-zone rules (20 plans per
 * account, unique names) hold as they would in a real multi-organization setup.
 */
export function syntheticLandingZones(count: number): NormalizedLandingZone[] {
  const base = parse(readFileSync(EXAMPLE_CONFIG, "utf8")) as LandingZoneConfigInput;
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(11, "0");
    // Management, audit and log-archive accounts and the organization of the example, all of their own.
    const text = JSON.stringify(base)
      .replaceAll("111122223333", `9${n}`)
      .replaceAll("222233334444", `8${n}`)
      .replaceAll("333344445555", `7${n}`)
      .replaceAll("o-abc123def4", `o-lz${String(i).padStart(8, "0")}`)
      .replaceAll("acme-prod", `lz-${i}`)
      .replaceAll("acme-", `lz${i}-`);
    const config = landingZoneConfigSchema.parse(JSON.parse(text));
    return normalizeLandingZone(config, `<bench lz ${i}>`);
  });
}
