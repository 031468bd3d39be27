import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { PROJECT_ROOT } from "../app/project-root";
import { applyLandingZones, FOREIGN_PRINCIPAL, REGION_OF_BOOTSTRAP, yamlFiles } from "../rehearsal/apply-landing-zones";
import { startEmulator, type Emulator } from "../rehearsal/emulator";
import { emptyStackBuckets } from "../rehearsal/empty-buckets";
import { forgottenBeforeDestroy, loadEmulatorGaps, toleratedChanges, type EmulatorGap, type PlanResourceChange } from "../rehearsal/emulator-gaps";
import { probeGap } from "../rehearsal/gap-probes";
import {
  disableTrustedAccess,
  enableTrustedAccess,
  enabledTrustedAccess,
} from "../rehearsal/organization-seed";
import { synthShippedConfig } from "../rehearsal/shipped-configs";
import { addDays, EXAMPLE_SCENARIOS, type PlanGuardScenario } from "../rehearsal/plan-guard-scenarios";
import { managedAddresses, type StackWorkspace } from "../rehearsal/stack-workspace";
import { checkPlans, type PlanCheckResult, type PlanInput } from "../policies/plan-check";
import { runTerraform, TerraformCommandError } from "../rehearsal/terraform-cli";
import { ensureTerraformTools, ensureTool, type TerraformTools } from "../rehearsal/tools";

/**
 * `npm run test:deploy`: the deploy rehearsal. Each rehearsed config is applied by real Terraform with the real
 * AWS provider to moto's server (an AWS API emulator) across its accounts, as a pipeline would apply it:
 *   1. the emulator starts on loopback over TLS; every listed emulator gap is probed (one that no longer occurs
 *      fails the run: its workaround must go);
 *   2. the organization the landing zone expects is seeded through the emulator's API, and the config is
 *      rehearsed with the emulator's organization, OU and account ids;
 *   3. `terraform apply` on every stack in `backup-audit stacks --order` order, then `terraform plan
 *      -detailed-exitcode` on every stack must show no change;
 *   4. the organization stack's plan-time assertions: with a required trusted-access principal disabled, its
 *      plan must fail with the project's own message (or, where the stack manages trusted access, the principal
 *      is added back and what others enabled stays);
 *   5. `terraform destroy` in reverse order, and no state left.
 * Exit 0: all of it held; 1: a step failed (the output says which, with Terraform's message); 2: a tool or
 * set-up problem.
 */


interface RehearsedConfig {
  readonly label: string;
  /** A YAML file or a folder of them. */
  readonly source: string;
  /** Plan-guard scenarios run on the applied config (a single YAML file). */
  readonly planGuard?: readonly PlanGuardScenario[];
}

const DEFAULT_CONFIGS: RehearsedConfig[] = [
  { label: "config/example.yaml (embedded)", source: path.join(PROJECT_ROOT, "config", "example.yaml"), planGuard: EXAMPLE_SCENARIOS },
  { label: "examples/service-provider/", source: path.join(PROJECT_ROOT, "examples", "service-provider") },
];

class RehearsalFailure extends Error {}

function log(line: string): void {
  process.stdout.write(`test:deploy: ${line}\n`);
}

interface ConfigResult {
  readonly label: string;
  readonly stacks: number;
  readonly resources: number;
  readonly seconds: number;
  readonly workedAround: { gap: string; address: string }[];
}

async function terraform(tools: TerraformTools, ws: StackWorkspace, args: string[], okCodes: number[] = [0]) {
  return runTerraform(tools, ws.dir, [...args, "-no-color"], { okCodes });
}

async function stateList(tools: TerraformTools, ws: StackWorkspace): Promise<string[]> {
  if (!existsSync(ws.statePath)) return [];
  const run = await runTerraform(tools, ws.dir, ["state", "list"], { okCodes: [0] });
  return managedAddresses(run.stdout);
}

/** The error message of the organization stack's postcondition on `principal`, whitespace collapsed. */
function assertionMessage(config: StackWorkspace["config"], principal: string): string {
  for (const source of Object.values(config.data?.aws_organizations_organization ?? {})) {
    const lifecycle = (source as { lifecycle?: { postcondition?: { condition?: string; error_message?: string }[] } }).lifecycle;
    for (const p of lifecycle?.postcondition ?? []) {
      if (p.condition?.includes(`"${principal}"`) && p.error_message) return p.error_message.replace(/\s+/g, " ").trim();
    }
  }
  throw new RehearsalFailure(`the organization stack asserts nothing about ${principal}`);
}

async function showPlan(tools: TerraformTools, ws: StackWorkspace, planFile: string): Promise<unknown> {
  const run = await runTerraform(tools, ws.dir, ["show", "-json", "-no-color", planFile]);
  return JSON.parse(run.stdout) as unknown;
}

function planInputs(plans: ReadonlyMap<string, unknown>): PlanInput[] {
  return [...plans].map(([stack, plan]) => ({ file: `${stack}.plan.json`, stack, plan }));
}

function describeFindings(result: PlanCheckResult): string {
  return [...result.denied, ...result.warnings]
    .map((f) => `  ${f.level} ${f.id} ${f.stack}: ${f.address} [${f.actions.join(",")}]: ${f.message} (fix: ${f.fix})`)
    .join("\n");
}

/**
 * One plan-guard scenario: the changed config synthesized, every stack whose Terraform JSON changed planned against
 * the applied state (in its workspace, whose synthesized files are put back afterwards), then checkPlans on the
 * plans of all stacks.
 */
async function runPlanGuardScenario(
  tools: TerraformTools,
  scenario: PlanGuardScenario,
  rehearsedYaml: string,
  fileName: string,
  dir: string,
  appliedOutdir: string,
  workspaces: readonly StackWorkspace[],
  noChangePlans: ReadonlyMap<string, unknown>,
  label: string,
): Promise<void> {
  const configDir = path.join(dir, "configs");
  mkdirSync(configDir, { recursive: true });
  writeFileSync(path.join(configDir, fileName), scenario.mutate(rehearsedYaml));
  const outdir = path.join(dir, "synth");
  synthShippedConfig({ label: `${label} (${scenario.name})`, config: configDir }, outdir);
  const plans = new Map(noChangePlans);
  const planned: string[] = [];
  for (const ws of workspaces) {
    const changed = path.join(outdir, "stacks", ws.name);
    const applied = path.join(appliedOutdir, "stacks", ws.name);
    if (readFileSync(path.join(changed, "cdk.tf.json"), "utf8") === readFileSync(path.join(applied, "cdk.tf.json"), "utf8")) continue;
    cpSync(changed, ws.dir, { recursive: true });
    try {
      await terraform(tools, ws, ["plan", "-input=false", "-out=scenario.tfplan"]);
      plans.set(ws.name, await showPlan(tools, ws, "scenario.tfplan"));
      planned.push(ws.name);
    } finally {
      cpSync(applied, ws.dir, { recursive: true });
    }
  }
  if (planned.length === 0) throw new RehearsalFailure(`plan-guard scenario "${scenario.name}" changed no stack`);
  const result = checkPlans(planInputs(plans));
  const summary = result.plans.filter((p) => planned.includes(p.stack)).map((p) => `${p.stack} +${p.create} ~${p.update} -/+${p.replace} -${p.delete}`).join("; ");
  if (scenario.expect === "pass") {
    if (!result.passed || result.plans.every((p) => p.create + p.update + p.replace + p.delete === 0)) {
      throw new RehearsalFailure(`plan guard, "${scenario.name}" (${summary}): expected a pass with changes, got:\n${describeFindings(result)}`);
    }
    log(`${label}: plan guard passes "${scenario.name}" (${summary})`);
  } else {
    for (const want of scenario.expect) {
      const hit = result.denied.find(
        (f) => f.id === want.rule && f.address.startsWith(want.addressPrefix) && (!want.actions || f.actions.join(",") === want.actions.join(",")),
      );
      if (result.passed || !hit) {
        throw new RehearsalFailure(`plan guard, "${scenario.name}" (${summary}): expected ${want.rule} on ${want.addressPrefix}…${want.actions ? ` [${want.actions.join(",")}]` : ""}, got:\n${describeFindings(result) || "  nothing"}`);
      }
      log(`${label}: plan guard refuses "${scenario.name}" (${summary}): ${hit.id} ${hit.stack} ${hit.address} [${hit.actions.join(",")}]: ${hit.message} — fix: ${hit.fix}`);
    }
  }
  for (const w of scenario.waivers ?? []) {
    const expires = addDays(new Date(), w.expiresInDays);
    const waived = checkPlans(planInputs(plans), {
      waivers: [{ rule: w.rule, address: w.address, owner: "platform-team", reason: `rehearsal: ${w.name}`, expires }],
    });
    if (w.expect === "pass") {
      if (!waived.passed || !waived.waived.some((f) => f.id === w.rule)) {
        throw new RehearsalFailure(`plan guard, "${scenario.name}" with ${w.name} (expires ${expires}): expected a pass, got:\n${describeFindings(waived)}`);
      }
      log(`${label}: plan guard passes "${scenario.name}" with ${w.name} (${w.rule} ${w.address}, expires ${expires})`);
    } else {
      const refusedWith = w.expect.refusedWith;
      const hit = waived.denied.find((f) => f.id === refusedWith);
      if (waived.passed || !hit) {
        throw new RehearsalFailure(`plan guard, "${scenario.name}" with ${w.name} (expired ${expires}): expected ${refusedWith}, got:\n${describeFindings(waived)}`);
      }
      log(`${label}: plan guard refuses "${scenario.name}" with ${w.name} (expired ${expires}): ${hit.id}: ${hit.message}`);
    }
  }
}

async function rehearseConfig(
  tools: TerraformTools,
  emulator: Emulator,
  gaps: readonly EmulatorGap[],
  config: RehearsedConfig,
  scratch: string,
  destroy: boolean,
): Promise<ConfigResult> {
  const started = Date.now();
  // 1–2. Seed the organizations, synthesize with the emulator's ids, apply every stack in order.
  const { conn, configDir, outdir, zones, workspaces, resources, workedAround } = await applyLandingZones(tools, emulator, gaps, {
    label: config.label,
    source: config.source,
    scratch,
    log,
  });

  // 3. A second plan changes nothing (but the listed attributes the emulator does not return); every stack is
  // planned before the verdict, so that one run names every stack that is not idempotent.
  const noChangePlans = new Map<string, unknown>();
  const notIdempotent: string[] = [];
  for (const ws of workspaces) {
    const run = await terraform(tools, ws, ["plan", "-detailed-exitcode", "-input=false", "-out=rehearsal.tfplan"], [0, 2]);
    const plan = await showPlan(tools, ws, "rehearsal.tfplan");
    noChangePlans.set(ws.name, plan);
    if (run.code === 0) {
      log(`${config.label}: ${ws.name}: second plan shows no changes`);
      continue;
    }
    const { tolerated, unexplained } = toleratedChanges((plan as { resource_changes?: PlanResourceChange[] }).resource_changes ?? [], gaps);
    if (unexplained.length > 0) {
      notIdempotent.push(`${ws.name}:\n${unexplained.map((u) => `    ${u.address} [${u.actions}]: ${u.attributes.join(", ")}`).join("\n")}`);
      continue;
    }
    workedAround.push(...tolerated.map((t) => ({ gap: t.gap, address: `${ws.name}: ${t.address} (${t.attributes.join(", ")} not read back)` })));
    log(`${config.label}: ${ws.name}: second plan changes only what the emulator does not read back (${tolerated.length} resources, listed gaps)`);
  }
  if (notIdempotent.length > 0) {
    throw new RehearsalFailure(`the plans after apply are not empty (not idempotent):\n  ${notIdempotent.join("\n  ")}`);
  }

  // 3b. The plan guard on real plans: the no-change plans pass; each scenario's plans get the stated verdict.
  if (config.planGuard) {
    const unchanged = checkPlans(planInputs(noChangePlans));
    if (!unchanged.passed) throw new RehearsalFailure(`plan guard refused the no-change plans:\n${describeFindings(unchanged)}`);
    log(`${config.label}: plan guard passes the ${noChangePlans.size} no-change plans`);
    const yamlFile = yamlFiles(config.source)[0] ?? "";
    const rehearsedYaml = readFileSync(path.join(configDir, path.basename(yamlFile)), "utf8");
    for (const [i, scenario] of config.planGuard.entries()) {
      await runPlanGuardScenario(tools, scenario, rehearsedYaml, path.basename(yamlFile), path.join(scratch, `scenario-${i}`), outdir, workspaces, noChangePlans, config.label);
    }
  }

  // 4. The organization stack's trusted-access guard, against the seeded organization.
  for (const zone of zones) {
    const ws = workspaces.find((w) => w.name === `${zone.name}-organization`);
    if (!ws) continue;
    const principals = await enabledTrustedAccess(zone.seeded.organizations);
    if (zone.manageTrustedAccess) {
      const missing = zone.required.filter((p) => !principals.includes(p));
      if (missing.length > 0 || !principals.includes(FOREIGN_PRINCIPAL)) {
        throw new RehearsalFailure(`${ws.name}: after apply the organization's trusted access is ${principals.join(", ")}: expected ${zone.required.join(", ")} added and ${FOREIGN_PRINCIPAL} kept`);
      }
      log(`${config.label}: ${ws.name}: trusted access managed as a union: ${principals.join(", ")} (${FOREIGN_PRINCIPAL}, enabled by someone else, kept)`);
      continue;
    }
    const victim = zone.required.includes("cloudtrail.amazonaws.com") ? "cloudtrail.amazonaws.com" : zone.required[0];
    if (!victim) continue;
    await disableTrustedAccess(zone.seeded.organizations, victim);
    try {
      // The project's own message: the postcondition the organization stack synthesized for that principal.
      const expected = assertionMessage(ws.config, victim);
      const run = await terraform(tools, ws, ["plan", "-input=false"], [0, 1]);
      const text = (run.stderr + run.stdout).replace(/[\s│]+/g, " ");
      if (run.code !== 1 || !text.includes(expected)) {
        throw new RehearsalFailure(`${ws.name}: with ${victim} disabled the plan should fail with "${expected}"; it exited ${run.code}:\n${run.stderr}${run.stdout.slice(-3000)}`);
      }
      log(`${config.label}: ${ws.name}: with ${victim} disabled, plan fails as it should: "${expected}"`);
    } finally {
      await enableTrustedAccess(zone.seeded.organizations, victim);
    }
  }

  // 5. Destroy in reverse order; nothing may be left in any state.
  if (!destroy) log(`${config.label}: destroy left out (--no-destroy)`);
  for (const ws of destroy ? [...workspaces].reverse() : []) {
    // The organization itself is protected (prevent_destroy) and is never the stack's to delete: leave it.
    const inState = await stateList(tools, ws);
    for (const address of inState) {
      if (address.startsWith("aws_organizations_organization.")) await terraform(tools, ws, ["state", "rm", address]);
    }
    // What the emulator cannot delete (listed gaps) leaves the state, not the emulator: counted, never hidden.
    for (const f of forgottenBeforeDestroy(inState, gaps)) {
      await terraform(tools, ws, ["state", "rm", f.address]);
      workedAround.push({ gap: f.gap, address: `${ws.name}: ${f.address} (left in the emulator, removed from the state)` });
    }
    const zone = zones.find((z) => ws.name.startsWith(`${z.name}-`));
    if (zone) {
      const emptied = [...(await emptyStackBuckets(conn, zone.seeded.pipeline, ws.config))].filter(([, n]) => n > 0);
      if (emptied.length > 0) log(`${config.label}: ${ws.name}: emptied before destroy (objects the emulator delivered, e.g. access logs): ${emptied.map(([b, n]) => `${b} ${n}`).join(", ")}`);
    }
    await terraform(tools, ws, ["destroy", "-auto-approve", "-input=false"]);
    const left = await stateList(tools, ws);
    if (left.length > 0) throw new RehearsalFailure(`${ws.name}: destroy left ${left.join(", ")}`);
    log(`${config.label}: destroyed ${ws.name}`);
  }
  return {
    label: config.label,
    stacks: workspaces.length,
    resources,
    seconds: (Date.now() - started) / 1000,
    workedAround,
  };
}

async function main(): Promise<number> {
  const cli = new Command("deploy-rehearsal")
    .option("--config <path...>", "YAML files or folders to rehearse (default: the embedded example and examples/service-provider/)")
    .option("--keep", "keep the scratch folder (its path is printed)")
    .option("--no-destroy", "stop after the trusted-access run: leave the stacks applied (the emulator stops anyway)")
    .parse();
  const opts = cli.opts<{ config?: string[]; keep?: boolean; destroy: boolean }>();
  const configs: RehearsedConfig[] = opts.config
    ? opts.config.map((c) => {
        const source = path.resolve(c);
        // The embedded example named on the command line still gets its plan-guard scenarios.
        const known = DEFAULT_CONFIGS.find((d) => d.source === source);
        return { label: c, source, ...(known?.planGuard ? { planGuard: known.planGuard } : {}) };
      })
    : DEFAULT_CONFIGS;
  const started = Date.now();
  let tools: TerraformTools;
  let motoServer: string;
  try {
    tools = ensureTerraformTools();
    motoServer = ensureTool("ensure-moto.sh");
  } catch (err) {
    process.stderr.write(`test:deploy: ${(err as Error).message}\n`);
    return 2;
  }
  const { emulator: emulatorVersion, gaps } = loadEmulatorGaps();
  const scratch = mkdtempSync(path.join(os.tmpdir(), "deploy-rehearsal-"));
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator(motoServer, scratch);
    // Every terraform command reaches the emulator by its name, through the emulator's proxy.
    tools = { ...tools, env: { HTTPS_PROXY: emulator.proxyUrl, https_proxy: emulator.proxyUrl, NO_PROXY: "", no_proxy: "" } };
    log(`emulator ${emulatorVersion} on ${emulator.endpoint}, ${emulator.providerEndpoint} for the provider (TLS, CA ${path.relative(scratch, emulator.caFile)}); log ${emulator.logFile}`);

    // Every listed gap must still occur; otherwise its workaround hides a resource that could be applied.
    const probeCredentials = { accessKeyId: "AKIAREHEARSALPROBE01", secretAccessKey: "rehearsal" };
    for (const gap of gaps) {
      const result = await probeGap(tools, gap, path.join(scratch, "probes", gap.id), {
        endpoint: emulator.providerEndpoint,
        caFile: emulator.caFile,
        credentials: probeCredentials,
        region: REGION_OF_BOOTSTRAP,
      });
      if (!result.occurs) {
        throw new RehearsalFailure(`emulator gap ${gap.id} (${gap.resourceType}${gap.attribute ? `.${gap.attribute}` : ""}) no longer occurs on ${emulatorVersion}: remove it from rehearsal/emulator-gaps.yaml so that it is applied for real`);
      }
      log(`gap ${gap.id} still occurs (${result.how}; probed in ${result.seconds.toFixed(0)} s)`);
    }

    const results: ConfigResult[] = [];
    for (const [i, config] of configs.entries()) {
      results.push(await rehearseConfig(tools, emulator, gaps, config, path.join(scratch, `config-${i}`), opts.destroy));
    }
    for (const r of results) {
      log(`${r.label}: ${r.stacks} stacks, ${r.resources} resources applied for real, planned again without changes${opts.destroy ? " and destroyed" : ""} (${r.seconds.toFixed(0)} s)`);
      for (const w of r.workedAround) log(`  worked around ${w.gap} on ${w.address}`);
    }
    const total = results.reduce((n, r) => n + r.resources, 0);
    log(`rehearsal passed: ${results.length} configs, ${results.reduce((n, r) => n + r.stacks, 0)} stacks, ${total} resources (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return 0;
  } catch (err) {
    if (err instanceof RehearsalFailure || err instanceof TerraformCommandError) {
      process.stderr.write(`test:deploy: FAILED: ${err.message}\n`);
      if (emulator) process.stderr.write(`test:deploy: the emulator's log: ${emulator.logFile} (kept with --keep)\n`);
      return 1;
    }
    throw err;
  } finally {
    await emulator?.stop();
    if (opts.keep) log(`scratch kept in ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`test:deploy: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
