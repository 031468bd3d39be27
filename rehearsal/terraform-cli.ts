import { spawn } from "node:child_process";
import type { TerraformTools } from "./tools";

/** The outcome of one terraform command. */
export interface TerraformRun {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  /** Ended by the caller's deadline (timeoutSeconds). */
  readonly timedOut: boolean;
}

/** A terraform command that exited with a code the caller did not accept. */
export class TerraformCommandError extends Error {
  constructor(readonly run: TerraformRun) {
    // Terraform writes its errors to stderr and the plan to stdout: the errors first, then how the run ended.
    super(
      `terraform ${run.args.join(" ")} (in ${run.cwd}) ${run.timedOut ? "was stopped at its deadline" : `exited ${run.code}`}:\n` +
        `${run.stderr.trim().slice(0, 6000)}\n${run.stdout.trim().slice(-1500)}`,
    );
    this.name = "TerraformCommandError";
  }
}

/** The environment every terraform command of the checks runs with: the pinned provider, no prompts, no telemetry. */
export function terraformEnv(tools: TerraformTools, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: tools.cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    ...tools.env,
    ...extra,
  };
}

/**
 * Runs terraform asynchronously (several stacks can run side by side) and resolves with its output. Rejects with
 * TerraformCommandError when the exit code is not one of `okCodes`.
 */
export function runTerraform(
  tools: TerraformTools,
  cwd: string,
  args: readonly string[],
  options: { okCodes?: readonly number[]; env?: Record<string, string>; timeoutSeconds?: number } = {},
): Promise<TerraformRun> {
  const okCodes = options.okCodes ?? [0];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(tools.terraform, args, { cwd, env: terraformEnv(tools, options.env), stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    let timedOut = false;
    // SIGINT first: Terraform then stops its provider and releases the state, as on Ctrl-C.
    const timer = options.timeoutSeconds
      ? setTimeout(() => {
          timedOut = true;
          child.kill("SIGINT");
          setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
        }, options.timeoutSeconds * 1000)
      : undefined;
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      const run: TerraformRun = {
        args,
        cwd,
        code: code ?? -1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        seconds: (Date.now() - started) / 1000,
        timedOut,
      };
      if (!timedOut && okCodes.includes(run.code)) resolve(run);
      else reject(new TerraformCommandError(run));
    });
  });
}

/** One diagnostic of `terraform validate -json`. */
export interface TerraformDiagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
  readonly snippet?: { readonly context?: string | null; readonly code?: string };
}

/** The diagnostics of `terraform validate -json` output (its documented machine-readable format). */
export function parseValidateJson(stdout: string): { valid: boolean; diagnostics: TerraformDiagnostic[] } {
  const doc = JSON.parse(stdout) as { valid?: unknown; diagnostics?: unknown };
  if (typeof doc.valid !== "boolean" || !Array.isArray(doc.diagnostics)) {
    throw new Error(`not terraform validate -json output: ${stdout.slice(0, 200)}`);
  }
  return { valid: doc.valid, diagnostics: doc.diagnostics as TerraformDiagnostic[] };
}

/**
 * Where in the stack a diagnostic points, for a person: the resource (snippet context such as
 * `resource "aws_glue_catalog_table" "x"`, or the address), the file and line.
 */
export function describeDiagnostic(d: TerraformDiagnostic): string {
  const where = [
    d.address ?? d.snippet?.context ?? undefined,
    d.range ? `${d.range.filename}:${d.range.start.line}` : undefined,
  ].filter((x): x is string => typeof x === "string" && x.length > 0);
  const detail = d.detail ? `: ${d.detail.replace(/\s+/g, " ").trim()}` : "";
  return `${d.severity} ${where.length > 0 ? `(${where.join(", ")}) ` : ""}${d.summary}${detail}`;
}
