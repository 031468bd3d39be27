import { z } from "zod";
import { landingZoneConfigSchema } from "./schema";

/**
 * JSON schema of the landing-zone YAML, for editors (`# yaml-language-server: $schema=...`). It describes the
 * input shape: fields with defaults are optional.
 */
export function landingZoneJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(landingZoneConfigSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://backup-audit-insights.dev/schemas/landing-zone.schema.json",
    title: "backup-audit-insights landing zone",
  };
}
