import { isMainThread } from "worker_threads";

/**
 * Preloaded into the commands the report bench runs (`node -r dist/bench/exit-cpu.js …`): prints the process's CPU
 * time, every thread's, as its last stderr line, so that the bench can set it beside the wall time (on a shared
 * machine the wall time also counts waiting for a core).
 */
if (isMainThread) {
  process.on("exit", () => {
    const cpu = process.cpuUsage();
    process.stderr.write(`cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms\n`);
  });
}
