/**
 * A comma-separated list from an environment variable (BACKUP_AUDIT_CONFIG, BACKUP_AUDIT_POLICIES): entries
 * trimmed, empty ones dropped. `undefined` when the variable is unset; `[]` when it is set but names nothing,
 * which each caller refuses with its own error.
 */
export function commaListFromEnv(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
