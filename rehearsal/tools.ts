import { spawnSync } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "../app/project-root";

/**
 * The real tools the Terraform checks run, each installed by its own script in scripts/ (pinned, built or
 * installed once per machine outside the clone): their stdout is the path, their progress goes to our stderr.
 */
export interface TerraformTools {
  /** The pinned `terraform` binary. */
  readonly terraform: string;
  /** A Terraform CLI configuration whose `dev_overrides` point `hashicorp/aws` at the pinned provider build. */
  readonly cliConfig: string;
  /** More environment for every terraform command (the rehearsal's proxy to the emulator). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Thrown when an installer script fails; its own output (above) says why. */
export class ToolInstallError extends Error {}

/** Runs scripts/<script> and returns the path it prints. */
export function ensureTool(script: string): string {
  const run = spawnSync("bash", [path.join(PROJECT_ROOT, "scripts", script)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const printed = (run.stdout ?? "").trim().split("\n").pop() ?? "";
  if (run.status !== 0 || printed === "") throw new ToolInstallError(`scripts/${script} failed (exit ${run.status}; see above)`);
  return printed;
}

export function ensureTerraformTools(): TerraformTools {
  return { terraform: ensureTool("ensure-terraform.sh"), cliConfig: ensureTool("ensure-terraform-provider-aws.sh") };
}
