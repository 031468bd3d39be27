import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EmulatorGap } from "./emulator-gaps";
import { rehearsalOverride } from "./provider-override";
import type { Credentials } from "./organization-seed";
import { runTerraform, TerraformCommandError } from "./terraform-cli";
import type { TerraformTools } from "./tools";

/** What a probe saw: whether the gap still occurs, and how. */
export interface ProbeResult {
  readonly gap: EmulatorGap;
  readonly occurs: boolean;
  readonly how: string;
  readonly seconds: number;
}

/**
 * Applies the gap's probe resources alone to the emulator, in their own scratch folder and account. The gap
 * occurs when the apply shows the gap's symptom: an error matching `probeSymptom`, or no result within
 * `probeSeconds` when the symptom is "timeout" (the provider waiting for what the emulator never returns); with
 * `probeStep: destroy` the probe is applied first and its destroy must show the symptom. An apply
 * that succeeds means the emulator learned it, and the rehearsal must stop working around it; a probe that fails
 * in another way is an error of the probe.
 */
export async function probeGap(
  tools: TerraformTools,
  gap: EmulatorGap,
  dir: string,
  emulator: { endpoint: string; caFile: string; credentials: Credentials; region: string },
): Promise<ProbeResult> {
  mkdirSync(dir, { recursive: true });
  const statePath = path.join(dir, "terraform.tfstate");
  writeFileSync(
    path.join(dir, "probe.tf.json"),
    JSON.stringify({
      terraform: { required_providers: { aws: { source: "hashicorp/aws" } } },
      provider: { aws: [{ region: emulator.region, max_retries: 1 }, ...(gap.probeProviders ?? []).map((p) => ({ region: emulator.region, max_retries: 1, ...p }))] },
      resource: gap.probe,
    }),
  );
  writeFileSync(
    path.join(dir, "probe_override.tf.json"),
    JSON.stringify(rehearsalOverride({ ...emulator, statePath, providerAliases: [undefined, ...(gap.probeProviders ?? []).map((p) => p.alias)] })),
  );
  const started = Date.now();
  await runTerraform(tools, dir, ["init", "-input=false", "-no-color"]);
  if (gap.probeStep === "destroy") {
    // The apply must succeed (the gap is about deleting); any failure of it is the probe's own error.
    await runTerraform(tools, dir, ["apply", "-auto-approve", "-input=false", "-no-color"], { timeoutSeconds: gap.probeSeconds });
  }
  const step = gap.probeStep === "destroy" ? "destroy" : "apply";
  try {
    await runTerraform(tools, dir, [step, "-auto-approve", "-input=false", "-no-color"], { timeoutSeconds: gap.probeSeconds });
    if (gap.probeSymptom === "perpetual-diff") {
      // The emulator does not return what was written: the next plan wants to change it again.
      const plan = await runTerraform(tools, dir, ["plan", "-detailed-exitcode", "-input=false", "-no-color"], { okCodes: [0, 2] });
      const seconds = (Date.now() - started) / 1000;
      return plan.code === 2
        ? { gap, occurs: true, how: "the plan after apply is not empty", seconds }
        : { gap, occurs: false, how: "the plan after apply is empty", seconds };
    }
    return { gap, occurs: false, how: step === "destroy" ? "the probe applied and was destroyed" : "the probe applied", seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    if (!(err instanceof TerraformCommandError)) throw err;
    const seconds = (Date.now() - started) / 1000;
    if (err.run.timedOut) {
      return { gap, occurs: gap.probeSymptom === "timeout", how: `no result after ${gap.probeSeconds} s`, seconds };
    }
    // Only the listed symptom counts: a probe that fails for another reason proves nothing about the gap.
    const text = err.run.stderr.replace(/\s+/g, " ");
    if (gap.probeSymptom !== "timeout" && new RegExp(gap.probeSymptom).test(text)) {
      return { gap, occurs: true, how: `${step} failed with /${gap.probeSymptom}/`, seconds };
    }
    throw new Error(`the probe of emulator gap ${gap.id} failed otherwise than by its symptom (${gap.probeSymptom}):\n${err.message}`);
  }
}
