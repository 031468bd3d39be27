import { ConfigError, configArgsFromEnv, loadLandingZones, locateField } from "./config/loader";
import { evaluateConfigPolicies, evaluateTerraformPolicies, formatViolations, isGateSetupError, policyDirsFromEnv } from "./policies/gate";
import { synthesizeLandingZones } from "./app/synth";

/**
 * cdktf app entry (`cdktf synth` runs `node dist/main.js`). Landing zones come from BACKUP_AUDIT_CONFIG
 * (comma-separated files or folders), else the embedded example config/example.yaml; custom Rego rule folders
 * from BACKUP_AUDIT_POLICIES. Order matters: config → policy gate → stacks → post-synth policies → cdktf.out.
 */
async function synth(): Promise<number> {
  // Progress on stdout: the cdktf CLI shows it as is, while it labels everything on stderr as an error.
  const log = (line: string) => process.stdout.write(`backup-audit: ${line}\n`);
  const policyDirs = policyDirsFromEnv();
  const lzs = await loadLandingZones(configArgsFromEnv());
  log(`loaded ${lzs.map((lz) => `${lz.name} (${lz.sourceFile})`).join(", ")}`);

  const outcome = await synthesizeLandingZones(lzs, {
    outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out",
    log,
    // The policy gate: Rego built by opa to WebAssembly, evaluated before any stack is constructed.
    gates: { config: (zones) => evaluateConfigPolicies(zones, { policyDirs }), terraform: evaluateTerraformPolicies },
  });
  if (!outcome.ok) {
    const what = outcome.stage === "config-policies" ? "landing-zone config" : "synthesized Terraform";
    process.stderr.write(
      `Policy violations in the ${what}; nothing was written (the previous cdktf.out is unchanged):\n` +
        formatViolations(outcome.violations, "text", locateField, policyDirs) + "\n",
    );
    return 1;
  }
  log(`synthesized ${outcome.stacks.length} stack(s) into ${outcome.outdir}: ${outcome.stacks.join(", ")}`);
  return 0;
}

async function main(): Promise<number> {
  try {
    return await synth();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Invalid landing-zone config; nothing was synthesized:\n${err.message}\n`);
      return 2;
    }
    if (isGateSetupError(err)) {
      process.stderr.write(`The policy gate cannot run; nothing was synthesized:\n${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`backup-audit: synth failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
