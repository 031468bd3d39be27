import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";

/** A long-running child (the AWS emulator, Trino) whose output goes to a log file. */
export interface LoggedChild {
  readonly child: ChildProcess;
  /** Ends it (SIGTERM) and resolves once it has exited; safe to call more than once and after it stopped. */
  stop(): Promise<void>;
}

/**
 * Starts `command` with its stdout and stderr appended to `logFile` (read when it fails to come up), and ends it when
 * this process exits, so that no server outlives a failed or interrupted run.
 */
export function spawnLogged(command: string, args: readonly string[], options: { readonly env: NodeJS.ProcessEnv; readonly logFile: string }): LoggedChild {
  const log = createWriteStream(options.logFile);
  const child = spawn(command, [...args], { env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  process.on("exit", kill);
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off("exit", kill);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
