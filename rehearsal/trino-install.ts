import { spawnSync } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "../app/project-root";
import { ToolInstallError } from "./tools";

/** Trino's server folder and the JDK to run it with, as scripts/ensure-trino.sh prints them (two lines). */
export interface TrinoInstall {
  readonly home: string;
  readonly javaHome: string;
}

export function ensureTrino(): TrinoInstall {
  const run = spawnSync("bash", [path.join(PROJECT_ROOT, "scripts", "ensure-trino.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [home, javaHome] = (run.stdout ?? "").trim().split("\n").slice(-2);
  if (run.status !== 0 || !home || !javaHome) throw new ToolInstallError(`scripts/ensure-trino.sh failed (exit ${run.status}; see above)`);
  return { home, javaHome };
}
