import path from "node:path";
import { ConfigError, configArgsFromEnv, loadLandingZones, locateField } from "../config/loader";
import {
  evaluateConfigPolicies,
  evaluateConfigWarnings,
  evaluateTerraformPolicies,
  formatViolations,
  formatWarnings,
  isGateSetupError,
  policyDirsFromEnv,
} from "../policies/gate";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../cli/exit-codes";
import type { CommandIo } from "../cli/io";
import { synthesizeLandingZones } from "./synth";

/**
 * What `npm run synth` and `cdktf synth` run: configs from BACKUP_AUDIT_CONFIG (else the embedded example),
 * custom Rego rule folders from BACKUP_AUDIT_POLICIES → policy gate → stacks → post-synth policies → the output
 * folder (CDKTF_OUTDIR, else cdktf.out). Plain lines only (no TTY needed): progress on stdout, problems (and the
 * policies' warnings, which do not stop synth) once on stderr, and a last line that says where the stacks are and what to run next. Exit 0 synthesized, 1 policy
 * violations, 2 unreadable or invalid config, or a policy gate that cannot run.
 */
export async function runSynthCommand(env: NodeJS.ProcessEnv, io: CommandIo): Promise<number> {
  try {
    return await synth(env, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`backup-audit synth: invalid landing-zone config; nothing was synthesized:\n${err.message}\n`);
      return EXIT_USAGE;
    }
    if (isGateSetupError(err)) {
      io.stderr(`backup-audit synth: the policy gate cannot run; nothing was synthesized:\n${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

async function synth(env: NodeJS.ProcessEnv, io: CommandIo): Promise<number> {
  const log = (line: string) => io.stdout(`backup-audit: ${line}\n`);
  const policyDirs = policyDirsFromEnv(env);
  const lzs = await loadLandingZones(configArgsFromEnv(env));
  log(`loaded ${lzs.map((lz) => `${lz.name} (${lz.sourceFile})`).join(", ")}`);
  // Warnings do not stop synth; like every problem, they go to stderr once.
  const warnings = formatWarnings(await evaluateConfigWarnings(lzs, { policyDirs }), locateField);
  if (warnings) io.stderr(warnings);

  const outdir = env.CDKTF_OUTDIR ?? "cdktf.out";
  const outcome = await synthesizeLandingZones(lzs, {
    outdir,
    log,
    // The policy gate: Rego built by opa to WebAssembly, evaluated before any stack is constructed.
    gates: { config: (zones) => evaluateConfigPolicies(zones, { policyDirs }), terraform: evaluateTerraformPolicies },
  });
  if (!outcome.ok) {
    const what = outcome.stage === "config-policies" ? "landing-zone config" : "synthesized Terraform";
    io.stderr(
      `backup-audit synth: policy violations in the ${what}; nothing was written (the previous ${outdir} is unchanged):\n` +
        formatViolations(outcome.violations, "text", locateField, policyDirs),
    );
    return EXIT_FAILED;
  }
  const stacksDir = path.join(outcome.outdir, "stacks");
  log(`synthesized ${outcome.stacks.length} stack(s) into ${outcome.outdir}: ${outcome.stacks.join(", ")}`);
  log(`stacks are in ${stacksDir}; next: \`npx cdktf diff <stack>\` to review a plan, \`npx cdktf deploy <stack>\` to apply it`);
  return EXIT_OK;
}
