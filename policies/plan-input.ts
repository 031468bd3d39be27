import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { ConfigIssue } from "../config/config-error";
import { pathToString } from "../config/field-path";
import { arrayElementOffsets, jsonSyntaxError, lineStarts, locateJsonOffset, positionAt, type Position } from "./json-position";

/**
 * Reading plans for the plan guard: the JSON that `terraform show -json <saved plan>` writes (Terraform's "JSON
 * Output Format", format_version 1.x). Only the parts the guard reads are checked here (format version, resource
 * changes and their actions); Terraform's rule for readers is followed otherwise: properties it does not know are
 * ignored. Anything else (a binary plan file, a state file, another major format version, an action this reader
 * does not know) is refused with the file, the line and the field, never evaluated: an input the rules cannot
 * read must not pass.
 */

/** A plan to check: its parsed `terraform show -json` document, the file it came from and its stack. */
export interface PlanInput {
  /** The plan file, as reports name it. */
  readonly file: string;
  /** The parsed JSON of `terraform show -json <saved plan>`. */
  readonly plan: unknown;
  /** The stack (Terraform root module) the plan is of; default: derived from `file` (stackNameFromPath). */
  readonly stack?: string;
  /** The file's text, when read from a file: gives findings and errors a line and column. */
  readonly text?: string;
}

/** A plan that the guard cannot read: every issue with its file, line, field and fix. Exit code 2. */
export class PlanInputError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "PlanInputError";
  }
}

function formatIssue(issue: ConfigIssue): string {
  const where = issue.line !== null ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Actions of the plan format (Terraform 1.0-1.14); any other is refused rather than guessed at. */
export const PLAN_ACTIONS = ["no-op", "create", "read", "update", "delete", "forget"] as const;

const SHOW_JSON = "`terraform show -json <saved plan> > plan.json`";

const changeSchema = z.looseObject({
  actions: z
    .array(z.string())
    .min(1)
    .superRefine((actions, ctx) => {
      for (const [i, a] of actions.entries()) {
        if (!(PLAN_ACTIONS as readonly string[]).includes(a)) {
          ctx.addIssue({
            code: "custom",
            path: [i],
            message: `unknown action "${a}" (this reader knows ${PLAN_ACTIONS.join(", ")}): the plan is from a newer Terraform than backup-audit knows; upgrade backup-audit-insights or plan with a Terraform it supports`,
          });
        }
      }
    }),
});

const resourceChangeSchema = z.looseObject({
  address: z.string().min(1),
  mode: z.enum(["managed", "data"]),
  type: z.string().min(1),
  name: z.string(),
  change: changeSchema,
});

const planSchema = z.looseObject({
  format_version: z.string().regex(/^1\.\d+$/, {
    message: `a plan format version 1.x (Terraform 1.0 or later) is needed: plan and show the plan with Terraform 1.x`,
  }),
  terraform_version: z.string().min(1),
  resource_changes: z.array(resourceChangeSchema).optional(),
  errored: z.boolean().optional(),
});

/** The document's shape as the guard reads it (after validation). */
export type TerraformPlanJson = z.infer<typeof planSchema>;

/** The stack of a plan file: `<stack>` from `.../stacks/<stack>/<file>` (cdktf.out), else the file name without `.json`, `.plan`, `.tfplan`. */
export function stackNameFromPath(file: string): string {
  const parts = path.resolve(file).split(path.sep);
  const i = parts.lastIndexOf("stacks");
  if (i >= 0 && i < parts.length - 2) return parts[i + 1];
  return path.basename(file).replace(/\.json$/i, "").replace(/\.(tfplan|plan)$/i, "");
}

/** Positions of a plan's text: of any field, and of each resource change (by index). */
export class PlanPositions {
  private readonly starts: number[];
  private changeOffsets?: number[];

  constructor(private readonly text: string) {
    this.starts = lineStarts(text);
  }

  /** The field at `segments`, or its nearest existing parent. */
  locate(segments: ReadonlyArray<string | number>): Position {
    return positionAt(this.starts, locateJsonOffset(this.text, segments));
  }

  /** Where `resource_changes[index]` starts. */
  resourceChange(index: number): Position | null {
    this.changeOffsets ??= arrayElementOffsets(this.text, ["resource_changes"]);
    const offset = this.changeOffsets[index];
    return offset === undefined ? null : positionAt(this.starts, offset);
  }
}

function issueAt(file: string, positions: PlanPositions | null, segments: ReadonlyArray<string | number>, message: string): ConfigIssue {
  const pos = positions?.locate(segments) ?? null;
  return { file, path: pathToString(segments), message, line: pos?.line ?? null, column: pos?.column ?? null };
}

function fileIssue(file: string, message: string): ConfigIssue {
  return { file, path: "", message, line: null, column: null };
}

/** At most this many schema problems are listed per plan. */
const MAX_ISSUES = 20;

/**
 * Checks that a parsed document is a plan the guard can read and returns it typed; throws PlanInputError naming
 * the file, line, field and fix otherwise.
 */
export function validatePlan(value: unknown, file: string, text?: string): TerraformPlanJson {
  const positions = text !== undefined ? new PlanPositions(text) : null;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new PlanInputError([fileIssue(file, `is not a Terraform plan in JSON (expected an object with format_version and resource_changes): write one with ${SHOW_JSON}`)]);
  }
  const doc = value as Record<string, unknown>;
  if (!("resource_changes" in doc) && !("planned_values" in doc) && ("values" in doc || "format_version" in doc)) {
    throw new PlanInputError([
      fileIssue(file, `is \`terraform show -json\` of a state, not of a plan (it has no planned_values or resource_changes): run \`terraform plan -out=tfplan\`, then ${SHOW_JSON.replace("<saved plan>", "tfplan")}`),
    ]);
  }
  const parsed = planSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const segments = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const field = segments[segments.length - 1];
    let message = issue.message;
    if (issue.code === "invalid_type" && valueAt(value, segments) === undefined) {
      message = `required field missing: ${String(field)} (${issue.expected}); is this the output of ${SHOW_JSON}?`;
    } else if (issue.code !== "custom" && !(segments.length === 1 && field === "format_version")) {
      message = `${issue.message}; got ${describe(valueAt(value, segments))}: write the plan with ${SHOW_JSON}, unedited`;
    } else if (field === "format_version") {
      message = `format_version ${describe(doc.format_version)}: ${issue.message}`;
    }
    return issueAt(file, positions, segments, message);
  });
  throw new PlanInputError(issues);
}

function valueAt(root: unknown, segments: ReadonlyArray<string | number>): unknown {
  let node = root;
  for (const seg of segments) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Parses plan JSON text; throws PlanInputError at the line and column of a syntax error. */
export function parsePlanText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const err = jsonSyntaxError(text);
    const pos = err ? positionAt(lineStarts(text), err.offset) : null;
    throw new PlanInputError([
      {
        file,
        path: "",
        message: `is not valid JSON (${err?.message ?? "syntax error"}): write the plan with ${SHOW_JSON}`,
        line: pos?.line ?? null,
        column: pos?.column ?? null,
      },
    ]);
  }
}

/** Reads, parses and checks one plan file (`terraform show -json` output); throws PlanInputError when it cannot be used. */
export function readPlanFile(file: string, stack?: string): PlanInput & { text: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a plan file" : `cannot read the file (${code ?? String(err)})`;
    throw new PlanInputError([fileIssue(file, `${why}: give the JSON written by ${SHOW_JSON}`)]);
  }
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    throw new PlanInputError([
      fileIssue(file, `is a binary plan file (what \`terraform plan -out\` writes): convert it with \`terraform show -json ${path.basename(file)} > plan.json\` and check plan.json`),
    ]);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new PlanInputError([fileIssue(file, "is UTF-16 text (PowerShell's `>` writes it): write the plan as UTF-8, e.g. `terraform show -json tfplan | Out-File -Encoding utf8 plan.json`")]);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new PlanInputError([fileIssue(file, `is not UTF-8 text: give the JSON written by ${SHOW_JSON}`)]);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const plan = parsePlanText(text, file);
  validatePlan(plan, file, text);
  return { file, plan, text, ...(stack !== undefined ? { stack } : {}) };
}
