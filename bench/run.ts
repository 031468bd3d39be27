import { bench as configSizeBench } from "./config-size";
import { bench as gateBench } from "./gate";
import { bench as partitionerBench } from "./partitioner";
import { bench as queriesBench } from "./queries";
import { bench as reportBench } from "./report";
import { bench as synthBench } from "./synth";
import { bench as synthLoopBench } from "./synth-loop";

/** `npm run bench`: every benchmark in turn, figures printed (no pass/fail: targets are in the docs). */
async function main(): Promise<void> {
  const benches: Array<[string, () => Promise<void>]> = [
    ["synth", synthBench],
    ["synth loop", synthLoopBench],
    ["config size", configSizeBench],
    ["policy gate", gateBench],
    ["partitioner", partitionerBench],
    ["queries", queriesBench],
    ["report", reportBench],
  ];
  const only = process.argv.slice(2);
  for (const [name, run] of benches) {
    if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
    console.log(`\n=== ${name} ===`);
    await run();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
