import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../app/project-root";
import { EXAMPLE_CONFIG } from "../config/loader";
import { MAX_CONFIG_BYTES } from "../config/yaml-source";

/**
 * Large configs through `backup-audit validate` (a fresh process: what a user waits for). Before the loader was
 * made linear, 20,000 tag keys (1 MB) took 19 s and 50 MB did not finish. Target: 10 MB well under 10 s; past
 * MAX_CONFIG_BYTES the file is refused before it is read.
 */

const example = readFileSync(EXAMPLE_CONFIG, "utf8");

/** The example with generated content of about `bytes`: tag keys (refused: at most 49) or control resource ids (valid). */
function bigConfig(kind: "tags" | "resource ids", bytes: number): string {
  const lines: string[] = [];
  let size = example.length;
  for (let i = 0; size < bytes; i++) {
    const line = kind === "tags" ? `  team-${i}-owner-key: value-${i}-abcdefghijklmnop` : `              - arn:aws:ec2:us-east-1:111122223333:volume/vol-${i.toString(16).padStart(17, "0")}`;
    lines.push(line);
    size += line.length + 1;
  }
  if (kind === "tags") return example.replace("tags:\n  owner: platform-team\n", `tags:\n  owner: platform-team\n${lines.join("\n")}\n`);
  const framework =
    "  frameworks:\n    - name: baseline\n      controls:\n        - name: BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN\n" +
    `          scope:\n            complianceResourceIds:\n${lines.join("\n")}\n`;
  return example.replace("  formats: [CSV]\n", `  formats: [CSV]\n${framework}`);
}

function validate(file: string): { ms: number; code: number | null; last: string } {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "bin", "backup-audit.js"), "validate", "--config", file], { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const last = (r.stderr.trim() || r.stdout.trim()).split("\n").pop() ?? "";
  return { ms, code: r.status, last: last.replace(file, "<file>").slice(0, 110) };
}

export async function bench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-config-size-"));
  try {
    console.log(`config size (backup-audit validate in a fresh process; wall time; load average ${os.loadavg()[0].toFixed(1)})`);
    const rows: Array<[string, "tags" | "resource ids", number]> = [
      ["1 MB of tag keys (20k)", "tags", 1_000_000],
      ["10 MB of tag keys (190k)", "tags", 10_000_000],
      ["1 MB of resource ids", "resource ids", 1_000_000],
      ["10 MB of resource ids", "resource ids", 10_000_000],
    ];
    for (const [label, kind, bytes] of rows) {
      const file = path.join(dir, `${kind.replace(" ", "-")}-${bytes}.yaml`);
      writeFileSync(file, bigConfig(kind, bytes));
      const size = statSync(file).size;
      const runs = [validate(file), validate(file)];
      const best = runs.reduce((a, b) => (a.ms <= b.ms ? a : b));
      console.log(`  ${label.padEnd(26)} ${(size / 1e6).toFixed(1).padStart(5)} MB  ${best.ms.toFixed(0).padStart(6)} ms  exit ${best.code}  ${best.last}`);
    }
    const huge = path.join(dir, "huge.yaml");
    writeFileSync(huge, bigConfig("tags", MAX_CONFIG_BYTES + 1_000_000));
    const refused = validate(huge);
    console.log(`  over the ${MAX_CONFIG_BYTES / 1024 / 1024} MiB limit       ${(statSync(huge).size / 1e6).toFixed(1).padStart(5)} MB  ${refused.ms.toFixed(0).padStart(6)} ms  exit ${refused.code}  ${refused.last}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
