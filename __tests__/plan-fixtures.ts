import type { TerraformStack } from "cdktf";
import { buildLandingZoneStacks } from "../stacks/landing-zone";
import { dummyPartitionerPackage, synthStack, testApp, type TerraformJson } from "./helpers/landing-zone";
import { mutatedLandingZone, type RawConfig } from "./policies-fixtures";

/**
 * Plans in the shape `terraform show -json` writes (format 1.2), made from the project's own synthesized stacks:
 * the stacks of the tests' landing zone before a config change are the prior state, the stacks after it are the
 * configuration, and each resource change is what Terraform plans for that difference (create, update, delete, or
 * delete-and-create when an attribute that forces replacement changes, with replace_paths and action_reason).
 * Addresses, types, names and values are the ones cdktf synthesizes, so the guard is tested on the resources it
 * will see; values that are references (`${...}`) are unknown after a create or a replacement, as in a real plan.
 * The real-Terraform rehearsal (against an AWS emulator) checks the same scenarios on plans Terraform made.
 */

/** Attributes whose change makes Terraform (the AWS provider) replace the resource, by resource type. */
const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = {
  aws_s3_bucket: ["bucket"],
  aws_s3_bucket_server_side_encryption_configuration: ["bucket"],
  aws_s3_bucket_versioning: ["bucket"],
  aws_s3_bucket_public_access_block: ["bucket"],
  aws_s3_bucket_logging: ["bucket"],
  aws_s3_bucket_ownership_controls: ["bucket"],
  aws_s3_bucket_lifecycle_configuration: ["bucket"],
  aws_s3_bucket_policy: ["bucket"],
  aws_s3_bucket_notification: ["bucket"],
  aws_backup_report_plan: ["name"],
  aws_backup_framework: ["name"],
  aws_cloudtrail: ["name"],
  aws_glue_catalog_database: ["name", "catalog_id"],
  aws_glue_catalog_table: ["name", "database_name"],
  aws_cloudformation_stack_set: ["name"],
  aws_cloudformation_stack_set_instance: ["stack_set_name", "stack_set_instance_region", "deployment_targets"],
  aws_athena_workgroup: ["name"],
  aws_athena_named_query: ["name", "query", "database", "workgroup", "description"],
  aws_lambda_function: ["function_name"],
  aws_kms_key: ["customer_master_key_spec", "key_usage"],
  aws_kms_alias: ["name"],
  aws_iam_role: ["name"],
  aws_sqs_queue: ["name"],
  aws_sns_topic: ["name"],
  aws_cloudwatch_log_group: ["name"],
};

/** Attributes that are maps (not nested blocks): kept as objects, where blocks become lists. */
const MAP_ATTRIBUTES = new Set(["tags", "tags_all", "variables", "parameters", "table_properties", "serde_parameters"]);

/** cdktf meta-arguments: configuration, not values of the resource. */
const META = new Set(["//", "depends_on", "lifecycle", "provider", "count", "for_each", "provisioner", "connection"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A configuration value as Terraform's JSON plan shows it: nested blocks as lists. */
function planValue(value: unknown): Json {
  if (Array.isArray(value)) return value.map((v) => planValue(v));
  if (value !== null && typeof value === "object") {
    const obj: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (META.has(k)) continue;
      const converted = planValue(v);
      obj[k] = v !== null && typeof v === "object" && !Array.isArray(v) && !MAP_ATTRIBUTES.has(k) ? [converted] : converted;
    }
    return obj;
  }
  return value as Json;
}

/** The resources of a synthesized stack as `<type>.<name>` → values (with tags_all from the provider's default tags). */
export function stackValues(tf: TerraformJson): Map<string, { type: string; name: string; values: Record<string, Json> }> {
  const provider = tf.provider?.aws?.[0] as { default_tags?: Array<{ tags?: Record<string, string> }> } | undefined;
  const defaultTags = provider?.default_tags?.[0]?.tags ?? {};
  const out = new Map<string, { type: string; name: string; values: Record<string, Json> }>();
  for (const [type, resources] of Object.entries(tf.resource ?? {})) {
    for (const [name, config] of Object.entries(resources)) {
      const values = planValue(config) as Record<string, Json>;
      const tags = (config.tags as Record<string, string> | undefined) ?? {};
      values.tags_all = { ...defaultTags, ...tags };
      out.set(`${type}.${name}`, { type, name, values });
    }
  }
  return out;
}

/** Takes `${...}` references out of a value after the plan: unknown (after_unknown true), as for a new resource. */
function withUnknownReferences(values: Record<string, Json>): { after: Record<string, Json>; unknown: Record<string, Json> } {
  const split = (v: Json): { known?: Json; unknown: Json } => {
    if (typeof v === "string" && v.includes("${")) return { unknown: true };
    if (Array.isArray(v)) {
      const parts = v.map(split);
      return { known: parts.map((p) => p.known ?? null), unknown: parts.map((p) => p.unknown) };
    }
    if (v !== null && typeof v === "object") {
      const known: Record<string, Json> = {};
      const unknown: Record<string, Json> = {};
      for (const [k, x] of Object.entries(v)) {
        const p = split(x);
        if (p.known !== undefined) known[k] = p.known;
        if (p.unknown !== false && !(typeof p.unknown === "object" && p.unknown !== null && Object.keys(p.unknown).length === 0)) unknown[k] = p.unknown;
      }
      return { known, unknown };
    }
    return { known: v, unknown: false };
  };
  const { known, unknown } = split(values);
  return { after: (known ?? {}) as Record<string, Json>, unknown: { ...(unknown as Record<string, Json>), id: true, arn: true } };
}

/** Sensitivity marks with nothing sensitive, in the shape Terraform writes them. */
function noSensitive(values: Record<string, Json> | null): Json {
  return values === null ? false : { tags: {}, tags_all: {} };
}

export interface ResourceChangeJson {
  address: string;
  mode: "managed";
  type: string;
  name: string;
  provider_name: string;
  change: {
    actions: string[];
    before: Record<string, Json> | null;
    after: Record<string, Json> | null;
    after_unknown: Json;
    before_sensitive: Json;
    after_sensitive: Json;
    replace_paths?: Json[][];
  };
  action_reason?: string;
}

export interface PlanJson {
  format_version: string;
  terraform_version: string;
  planned_values: Json;
  resource_changes: ResourceChangeJson[];
  configuration: Json;
  timestamp: string;
  applyable: boolean;
  complete: boolean;
  errored: boolean;
}

const PROVIDER = "registry.terraform.io/hashicorp/aws";

/** The plan Terraform makes to go from the state of `before` (applied) to the configuration `after`. */
export function planBetween(before: TerraformJson | null, after: TerraformJson | null): PlanJson {
  const old = before ? stackValues(before) : new Map();
  const now = after ? stackValues(after) : new Map();
  const changes: ResourceChangeJson[] = [];
  for (const address of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const was = old.get(address);
    const will = now.get(address);
    const { type, name } = (was ?? will)!;
    const base = { address, mode: "managed" as const, type, name, provider_name: PROVIDER };
    if (was && !will) {
      changes.push({
        ...base,
        change: { actions: ["delete"], before: was.values, after: null, after_unknown: {}, before_sensitive: noSensitive(was.values), after_sensitive: false },
        action_reason: "delete_because_no_resource_config",
      });
      continue;
    }
    if (!was && will) {
      const { after: known, unknown } = withUnknownReferences(will.values);
      changes.push({ ...base, change: { actions: ["create"], before: null, after: known, after_unknown: unknown, before_sensitive: false, after_sensitive: noSensitive(known) } });
      continue;
    }
    const same = JSON.stringify(was.values) === JSON.stringify(will.values);
    if (same) {
      changes.push({ ...base, change: { actions: ["no-op"], before: was.values, after: will.values, after_unknown: {}, before_sensitive: noSensitive(was.values), after_sensitive: noSensitive(will.values) } });
      continue;
    }
    const forced = (FORCES_REPLACEMENT[type] ?? []).filter((attr) => JSON.stringify(was.values[attr]) !== JSON.stringify(will.values[attr]));
    if (forced.length > 0) {
      const { after: known, unknown } = withUnknownReferences(will.values);
      changes.push({
        ...base,
        change: {
          actions: ["delete", "create"],
          before: was.values,
          after: known,
          after_unknown: unknown,
          before_sensitive: noSensitive(was.values),
          after_sensitive: noSensitive(known),
          replace_paths: forced.map((attr) => [attr]),
        },
        action_reason: "replace_because_cannot_update",
      });
      continue;
    }
    changes.push({ ...base, change: { actions: ["update"], before: was.values, after: will.values, after_unknown: {}, before_sensitive: noSensitive(was.values), after_sensitive: noSensitive(will.values) } });
  }
  return {
    format_version: "1.2",
    terraform_version: "1.10.5",
    planned_values: { root_module: {} },
    resource_changes: changes,
    configuration: { provider_config: {}, root_module: {} },
    timestamp: "2026-06-02T08:00:00Z",
    applyable: changes.some((c) => c.change.actions.join() !== "no-op"),
    complete: true,
    errored: false,
  };
}

/** The named queries the fixture's analytics stack creates. */
export const FIXTURE_QUERIES = [
  { name: "largest_backups", description: "The largest backups", sql: "SELECT 1" },
  { name: "failed_backup_jobs", description: "Failed backup jobs", sql: "SELECT 2" },
];

/** The synthesized stacks of the tests' landing zone with `mutate` applied to its config, by stack name. */
export function synthesizedStacks(mutate: (c: RawConfig) => void = () => undefined, queries = FIXTURE_QUERIES): Record<string, TerraformJson> {
  const lz = mutatedLandingZone(mutate);
  const stacks = buildLandingZoneStacks(testApp(), lz, { partitionerPackage: dummyPartitionerPackage(), namedQueries: queries });
  const out: Record<string, TerraformJson> = {};
  for (const stack of Object.values(stacks) as TerraformStack[]) out[stack.node.id] = synthStack(stack);
  return out;
}

/** One plan per stack for the config change `before` → `after`: `{<stack>: plan}` (stacks in either run). */
export function plansFor(before: Record<string, TerraformJson>, after: Record<string, TerraformJson>): Record<string, PlanJson> {
  const out: Record<string, PlanJson> = {};
  for (const stack of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    out[stack] = planBetween(before[stack] ?? null, after[stack] ?? null);
  }
  return out;
}
