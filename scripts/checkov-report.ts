import { isScalar, isSeq, LineCounter, parseDocument } from "yaml";

/**
 * The pure half of `npm run check:iac`: reading the skip list of `.checkov.yaml` (every skipped check id with
 * its reason, the comment on its line) and summarising checkov's JSON report. No I/O, no child processes.
 */

/** A check skipped in `.checkov.yaml`, with the reason written beside it. */
export interface CheckovSkip {
  readonly id: string;
  readonly reason: string;
  readonly line: number;
}

/** A failed check of one resource, as checkov reports it. */
export interface CheckovFailure {
  readonly checkId: string;
  readonly checkName: string;
  /** Stack file relative to the scanned folder, e.g. `/acme-prod-analytics/cdk.tf.json`. */
  readonly file: string;
  readonly resource: string;
}

export interface CheckovResult {
  readonly version: string;
  readonly passed: number;
  readonly failed: CheckovFailure[];
  readonly parsingErrors: number;
}

/**
 * The `skip-check` list of a checkov config file. Each entry must be a check id with its reason as comment
 * lines right above it (or `# reason` after it); an entry without a reason is an error naming file and line.
 */
export function parseSkips(text: string, file: string): { skips: CheckovSkip[]; errors: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const errors = doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? 1}: ${e.message}`);
  const skips: CheckovSkip[] = [];
  const list = doc.get("skip-check", true);
  if (list === undefined || list === null) return { skips, errors };
  if (!isSeq(list)) {
    errors.push(`${file}: skip-check: expected a list of check ids, each with its reason as a comment`);
    return { skips, errors };
  }
  for (const [index, item] of list.items.entries()) {
    const line = isScalar(item) && item.range ? lines.linePos(item.range[0]).line : 0;
    if (!isScalar(item) || typeof item.value !== "string" || !/^CKV2?_[A-Z0-9]+_\d+$/.test(item.value)) {
      errors.push(`${file}:${line}: skip-check: ${String(isScalar(item) ? item.value : item)} is not a checkov check id (CKV_AWS_18)`);
      continue;
    }
    // Comment lines above the first item belong to the list itself in the YAML tree.
    const above = item.commentBefore ?? (index === 0 ? list.commentBefore : undefined);
    const reason = [above, item.comment].filter((c) => c !== undefined && c !== null).join(" ").trim();
    if (reason === "") {
      errors.push(`${file}:${line}: skip-check: ${item.value} has no reason: write the reason as a comment line above "- ${item.value}"`);
      continue;
    }
    if (skips.some((s) => s.id === item.value)) {
      errors.push(`${file}:${line}: skip-check: ${item.value} is listed twice`);
      continue;
    }
    skips.push({ id: item.value, reason: reason.replace(/\s*\n\s*/g, " "), line });
  }
  return { skips, errors };
}

/**
 * Top-level blocks that only move state (`import`, `moved`, `removed`: no resource settings to check), which
 * checkov 3.3.30's terraform_json parser cannot read in their array form ("this method receives only dicts")
 * and then skips the whole file. check:iac scans a copy without them.
 */
const STATE_ONLY_BLOCKS = ["import", "moved", "removed"] as const;

/** A stack's Terraform JSON as checkov can parse it, and the blocks taken out. */
export function scannableTerraformJson(doc: Record<string, unknown>): { doc: Record<string, unknown>; removed: string[] } {
  const removed = STATE_ONLY_BLOCKS.filter((b) => b in doc);
  const copy = { ...doc };
  for (const b of removed) delete copy[b];
  return { doc: copy, removed: [...removed] };
}

interface RawFailed {
  check_id: string;
  check_name: string;
  file_path: string;
  resource: string;
}

interface RawReport {
  check_type?: string;
  summary?: { passed: number; failed: number; parsing_errors: number; checkov_version: string };
  results?: { failed_checks?: RawFailed[] };
  // An empty scan is reported as a bare summary.
  passed?: number;
  failed?: number;
  parsing_errors?: number;
  checkov_version?: string;
}

/** checkov's `-o json` output (one report object, or a list of them when several frameworks ran). */
export function parseCheckovJson(text: string): CheckovResult {
  const parsed = JSON.parse(text) as RawReport | RawReport[];
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  let passed = 0;
  let parsingErrors = 0;
  let version = "";
  const failed: CheckovFailure[] = [];
  for (const r of reports) {
    const summary = r.summary ?? {
      passed: r.passed ?? 0,
      failed: r.failed ?? 0,
      parsing_errors: r.parsing_errors ?? 0,
      checkov_version: r.checkov_version ?? "",
    };
    passed += summary.passed;
    parsingErrors += summary.parsing_errors;
    version = summary.checkov_version || version;
    for (const f of r.results?.failed_checks ?? []) {
      failed.push({ checkId: f.check_id, checkName: f.check_name, file: f.file_path, resource: f.resource });
    }
  }
  return { version, passed, failed, parsingErrors };
}

function groupByCheck(failures: readonly CheckovFailure[]): Map<string, CheckovFailure[]> {
  const byCheck = new Map<string, CheckovFailure[]>();
  for (const f of failures) byCheck.set(f.checkId, [...(byCheck.get(f.checkId) ?? []), f]);
  return byCheck;
}

const where = (f: CheckovFailure): string => `${f.file.replace(/^\//, "")}: ${f.resource}`;

/** Skipped checks that would fail nowhere now: a skip for every resource must not outlive its reason. */
export function staleSkips(skips: readonly CheckovSkip[], skippedFailures: readonly CheckovFailure[]): CheckovSkip[] {
  const hit = new Set(skippedFailures.map((f) => f.checkId));
  return skips.filter((s) => !hit.has(s.id));
}

/**
 * The summary `check:iac` prints: failures grouped by check id, then every skip with its reason and the
 * resources it covers (`skippedFailures`: what the skipped checks report when run alone), then stale skips.
 */
export function formatSummary(
  result: CheckovResult,
  skips: readonly CheckovSkip[],
  skippedFailures: readonly CheckovFailure[],
  stacks: number,
  configFile: string,
): string {
  const out: string[] = [];
  const byCheck = groupByCheck(result.failed);
  const covered = groupByCheck(skippedFailures);
  const stale = staleSkips(skips, skippedFailures);
  out.push(
    `checkov ${result.version} on ${stacks} stack file(s): ${result.passed} passed, ${result.failed.length} failed ` +
      `(${byCheck.size} check id(s)), ${skips.length} check id(s) skipped in ${configFile}` +
      (result.parsingErrors > 0 ? `, ${result.parsingErrors} file(s) checkov could not parse` : ""),
  );
  for (const [id, fs] of [...byCheck].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`FAILED ${id}: ${fs[0].checkName}`);
    for (const f of fs) out.push(`  ${where(f)}`);
  }
  if (byCheck.size > 0) {
    out.push(`fix the construct, or, only where the check cannot apply, add the id with its reason to skip-check in ${configFile}`);
  }
  if (skips.length > 0) out.push(`skipped (${configFile}):`);
  for (const s of skips) {
    out.push(`  ${s.id}: ${s.reason}`);
    for (const f of covered.get(s.id) ?? []) out.push(`    ${where(f)}`);
  }
  for (const s of stale) {
    out.push(`STALE SKIP ${s.id} (${configFile}:${s.line}): the check fails on no resource now; remove the skip`);
  }
  return out.join("\n") + "\n";
}
