import { landingZoneJsonSchema } from "./json-schema";

/**
 * The fields a config may have at a path, read from the generated JSON schema (the same one editors use), and
 * the one closest to a misspelt key, so that an unknown field comes with the likely fix.
 */

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; additionalProperties?: JsonSchema | boolean; anyOf?: JsonSchema[] };

let root: JsonSchema | null = null;

/** The object schema at `segments` (records and lists followed; nullable unions unwrapped), or null. */
function schemaAt(segments: ReadonlyArray<string | number>): JsonSchema | null {
  root ??= landingZoneJsonSchema() as JsonSchema;
  let node: JsonSchema | undefined = root;
  for (const seg of segments) {
    node = node?.anyOf?.find((s) => s.properties || s.items || typeof s.additionalProperties === "object") ?? node;
    if (!node) return null;
    if (typeof seg === "number") node = node.items;
    else node = node.properties?.[seg] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined);
  }
  return node?.anyOf?.find((s) => s.properties) ?? node ?? null;
}

/** Field names allowed at the mapping `segments` (empty when it is not a fixed set of fields). */
export function knownFields(segments: ReadonlyArray<string | number>): string[] {
  return Object.keys(schemaAt(segments)?.properties ?? {});
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** The candidate closest to `word` (case-insensitive edit distance), if it is close enough to be a typo. */
export function closestField(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}
