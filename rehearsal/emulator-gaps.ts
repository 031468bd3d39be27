import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { PROJECT_ROOT } from "../app/project-root";
import type { TerraformJson } from "./stack-workspace";

const gapSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  resourceType: z.string().regex(/^aws_[a-z0-9_]+$/),
  attribute: z.string().optional(),
  /** Only resources whose attribute has one of these values (e.g. a service principal the emulator lacks). */
  onlyWhere: z.record(z.string(), z.array(z.string())).optional(),
  workaround: z.enum(["omit-attribute", "skip-resource", "logging-grant-first", "ignore-changes", "tolerate-diff", "forget-before-destroy"]),
  /** ignore-changes, tolerate-diff: the attributes the emulator does not return. */
  attributes: z.array(z.string()).optional(),
  reason: z.string().min(20),
  probeSeconds: z.number().int().positive().max(600),
  /** What shows the gap: a regular expression the failed apply's error matches, or "timeout". */
  probeSymptom: z.string().min(1),
  /** Which command of the probe shows the symptom: its apply (default) or, after a clean apply, its destroy. */
  probeStep: z.enum(["apply", "destroy"]).default("apply"),
  probe: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))),
  /** More aws provider blocks for the probe (an alias with `assume_role`, for a second account). */
  probeProviders: z.array(z.object({ alias: z.string() }).catchall(z.unknown())).optional(),
});

const gapsFileSchema = z.object({ emulator: z.string(), gaps: z.array(gapSchema) });

/** One thing the emulator cannot do (rehearsal/emulator-gaps.yaml). */
export type EmulatorGap = z.infer<typeof gapSchema>;

export const GAPS_FILE = path.join(PROJECT_ROOT, "rehearsal", "emulator-gaps.yaml");

export function loadEmulatorGaps(file = GAPS_FILE): { emulator: string; gaps: EmulatorGap[] } {
  const parsed = gapsFileSchema.safeParse(parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  for (const gap of parsed.data.gaps) {
    if (gap.workaround === "ignore-changes" || gap.workaround === "tolerate-diff") {
      if (!gap.attributes?.length) throw new Error(`${file}: gap ${gap.id}: ${gap.workaround} needs attributes`);
    } else if (gap.workaround !== "skip-resource" && gap.workaround !== "forget-before-destroy" && !gap.attribute) {
      throw new Error(`${file}: gap ${gap.id}: ${gap.workaround} needs an attribute`);
    }
  }
  return parsed.data;
}

const LOGGING_SERVICE = "logging.s3.amazonaws.com";

/**
 * The same policy document with the statements granting S3 server access logging first, or undefined when the
 * policy has no such grant after another statement (nothing to work around) or is not a JSON document.
 */
export function loggingGrantFirst(policy: unknown): string | undefined {
  if (typeof policy !== "string") return undefined;
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return undefined;
  }
  if (!Array.isArray(doc.Statement)) return undefined;
  const grantsLogging = (s: unknown): boolean => {
    const principal = (s as { Principal?: { Service?: unknown } } | null)?.Principal;
    const service = typeof principal === "object" && principal !== null ? principal.Service : undefined;
    return service === LOGGING_SERVICE || (Array.isArray(service) && service.includes(LOGGING_SERVICE));
  };
  const statements: unknown[] = doc.Statement;
  const first = statements.findIndex(grantsLogging);
  if (first <= 0) return undefined;
  return JSON.stringify({ ...doc, Statement: [...statements.filter(grantsLogging), ...statements.filter((s) => !grantsLogging(s))] });
}

/** The resource's own lifecycle.ignore_changes and `more` (an override's lifecycle replaces the argument). */
function withIgnored(lifecycle: unknown, more: readonly string[]): string[] {
  const block = Array.isArray(lifecycle) ? lifecycle[0] : lifecycle;
  const own = (block as { ignore_changes?: unknown } | undefined)?.ignore_changes;
  return [...new Set([...(Array.isArray(own) ? own.map(String) : []), ...more])];
}

/**
 * The resource overrides that work around the gaps in one stack: only resources of a listed type, and only the
 * listed attribute (or the resource's creation) — everything else is applied as synthesized.
 */
export function gapOverrides(config: TerraformJson, gaps: readonly EmulatorGap[]): {
  resources: Record<string, Record<string, Record<string, unknown>>>;
  worked: { gap: string; address: string }[];
} {
  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  const worked: { gap: string; address: string }[] = [];
  for (const gap of gaps) {
    // Handled on the second plan (toleratedChanges) or before destroy (forgottenBeforeDestroy), not overridden.
    if (gap.workaround === "tolerate-diff" || gap.workaround === "forget-before-destroy") continue;
    for (const [id, body] of Object.entries(config.resource?.[gap.resourceType] ?? {})) {
      if (gap.attribute && !(gap.attribute in body)) continue;
      const matches = Object.entries(gap.onlyWhere ?? {}).every(([attr, values]) => values.includes(String(body[attr])));
      if (!matches) continue;
      let value: unknown;
      if (gap.workaround === "logging-grant-first") {
        value = loggingGrantFirst(body[gap.attribute ?? ""]);
        if (value === undefined) continue;
      }
      const byType = (resources[gap.resourceType] ??= {});
      const entry = (byType[id] ??= {});
      if (gap.workaround === "skip-resource") entry.count = 0;
      else if (gap.workaround === "ignore-changes") entry.lifecycle = { ignore_changes: withIgnored(body.lifecycle, gap.attributes ?? []) };
      else if (gap.workaround === "omit-attribute" && gap.attribute) entry[gap.attribute] = [];
      else if (gap.attribute) entry[gap.attribute] = value;
      worked.push({ gap: gap.id, address: `${gap.resourceType}.${id}` });
    }
  }
  return { resources, worked };
}

/** One change of a plan's `resource_changes` (terraform show -json). */
export interface PlanResourceChange {
  readonly address: string;
  readonly type: string;
  readonly mode?: string;
  readonly change: { readonly actions: readonly string[]; readonly before?: unknown; readonly after?: unknown };
}

/**
 * Splits the changes of a plan made right after apply into those a listed tolerate-diff gap explains (an in-place
 * update of exactly the attributes the emulator does not return) and the rest, which make the stack not idempotent.
 */
export function toleratedChanges(
  changes: readonly PlanResourceChange[],
  gaps: readonly EmulatorGap[],
): { tolerated: { address: string; gap: string; attributes: string[] }[]; unexplained: { address: string; actions: string; attributes: string[] }[] } {
  const tolerated: { address: string; gap: string; attributes: string[] }[] = [];
  const unexplained: { address: string; actions: string; attributes: string[] }[] = [];
  for (const rc of changes) {
    const actions = rc.change.actions.join(",");
    if (rc.mode === "data" || actions === "no-op" || actions === "read") continue;
    const before = (rc.change.before ?? {}) as Record<string, unknown>;
    const after = (rc.change.after ?? {}) as Record<string, unknown>;
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
      .sort();
    const gap = gaps.find(
      (g) => g.workaround === "tolerate-diff" && g.resourceType === rc.type && changed.every((k) => (g.attributes ?? []).includes(k)),
    );
    if (actions === "update" && changed.length > 0 && gap) tolerated.push({ address: rc.address, gap: gap.id, attributes: changed });
    else unexplained.push({ address: rc.address, actions, attributes: changed });
  }
  return { tolerated, unexplained };
}

/**
 * The managed resources of a stack's state that a forget-before-destroy gap covers: the emulator cannot delete them,
 * so the rehearsal removes them from the state (`terraform state rm`) and destroys the rest.
 */
export function forgottenBeforeDestroy(addresses: readonly string[], gaps: readonly EmulatorGap[]): { address: string; gap: string }[] {
  const forgotten: { address: string; gap: string }[] = [];
  for (const address of addresses) {
    // Module-less stacks: the type is the first segment (`aws_athena_named_query.name` or `…name[0]`).
    const type = address.split(".")[0];
    const gap = gaps.find((g) => g.workaround === "forget-before-destroy" && g.resourceType === type);
    if (gap) forgotten.push({ address, gap: gap.id });
  }
  return forgotten;
}
