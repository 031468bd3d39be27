import { spawnSync } from "node:child_process";
import path from "node:path";

/**
 * Which events the deployed rule's pattern matches, decided by the emulator's own EventBridge pattern matcher
 * (moto's `EventPattern`, run with the emulator's Python): its TestEventPattern API answers nothing (a stub in
 * moto 5.2.6), so the matcher is called directly rather than re-implemented here.
 */
const MATCH = `
import json, sys
from moto.events.models import EventPattern
pattern = EventPattern.load(sys.argv[1])
events = json.load(sys.stdin)
print(json.dumps([bool(pattern.matches_event(e)) for e in events]))
`;

export function matchEventPattern(motoServer: string, pattern: string, events: readonly unknown[]): boolean[] {
  const python = path.join(path.dirname(motoServer), "python");
  const run = spawnSync(python, ["-c", MATCH, pattern], { input: JSON.stringify(events), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`moto's EventPattern (${python}) failed: ${run.stderr.slice(-2000)}`);
  const result = JSON.parse(run.stdout) as boolean[];
  if (result.length !== events.length) throw new Error(`moto's EventPattern answered ${result.length} results for ${events.length} events`);
  return result;
}
