import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { rehearsalOverride, type OverrideOptions } from "./provider-override";

/**
 * One stack's rehearsal copy: the synthesized folder copied (assets included) into the rehearsal's scratch, with
 * the override file written beside it there — never into cdktf.out/, which stays what the user deploys.
 */
export interface StackWorkspace {
  readonly name: string;
  readonly dir: string;
  readonly statePath: string;
  /** The synthesized configuration, as Terraform JSON. */
  readonly config: TerraformJson;
}

export interface TerraformJson {
  readonly provider?: { readonly aws?: readonly { readonly alias?: string }[] };
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, unknown>>;
}

export const OVERRIDE_FILE = "rehearsal_override.tf.json";

export function prepareWorkspace(
  synthesizedStackDir: string,
  name: string,
  workRoot: string,
  override: Omit<OverrideOptions, "statePath" | "providerAliases">,
): StackWorkspace {
  const dir = path.join(workRoot, name);
  mkdirSync(dir, { recursive: true });
  cpSync(synthesizedStackDir, dir, { recursive: true });
  const config = JSON.parse(readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as TerraformJson;
  const statePath = path.join(dir, "terraform.tfstate");
  const aliases = (config.provider?.aws ?? [{}]).map((p) => p.alias);
  writeFileSync(
    path.join(dir, OVERRIDE_FILE),
    `${JSON.stringify(rehearsalOverride({ ...override, statePath, providerAliases: aliases }), null, 2)}\n`,
  );
  return { name, dir, statePath, config };
}

/** The managed resources a plan or state lists (data sources excluded): `terraform state list` lines. */
export function managedAddresses(stateList: string): string[] {
  return stateList
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("data.") && !l.includes(".data."));
}
