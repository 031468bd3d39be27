import os from "node:os";
import path from "node:path";

/**
 * The project's cache outside any clone: `$BACKUP_AUDIT_CACHE`, else `$XDG_CACHE_HOME/backup-audit-insights`, else
 * `~/.cache/backup-audit-insights` (scripts/lib/go-tool.sh and scripts/lib/python-tool.sh use the same rule). The
 * OPA and Regal builds live there, and the local engine's cache of normalised reports (`reports/`).
 */
export function projectCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.BACKUP_AUDIT_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "backup-audit-insights");
}
