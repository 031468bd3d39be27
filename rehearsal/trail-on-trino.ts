import type { DataPathAccount } from "./data-path-target";
import type { DeployedNamedQuery } from "./deployed-analytics";
import type { TrinoSession } from "./trino-client";

export interface TrailCheck {
  readonly account: DataPathAccount;
  readonly session: TrinoSession;
  readonly trailQueries: readonly DeployedNamedQuery[];
  readonly trailTable: string;
  readonly dir: string;
  readonly log: (line: string) => void;
}

export async function runTrailOnTrino(check: TrailCheck): Promise<void> {
  check.log(`trail: ${check.trailQueries.length} queries (not yet)`);
}
