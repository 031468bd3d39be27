import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runValidateCommand } from "../cli/commands/validate";
import { ConfigError, loadLandingZones, type ConfigIssue } from "../config/loader";
import { MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, MAX_NESTING_DEPTH } from "../config/yaml-source";

/**
 * Inputs that are not a usable YAML config at all, or that miss the schema: each is a config error (exit 2)
 * naming the file, and where the YAML has a position, the line and column of the culprit.
 */

// The tests' single-account landing zone (the embedded example is the Control Tower layout).
const example = readFileSync(path.join(__dirname, "fixtures", "landing-zone.yaml"), "utf8");
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "config-input-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function issuesOf(file: string): Promise<ConfigIssue[]> {
  try {
    await loadLandingZones([file]);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

async function validate(file: string): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const code = await runValidateCommand({ configs: [file] }, { stdout: () => undefined, stderr: (t) => (stderr += t) });
  return { code, stderr };
}

/** An alias bomb: each level repeats the previous one nine times (9^8 strings once expanded). */
export function aliasBomb(): string {
  let text = "name: bomb\na: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i <= 8; i++) text += `l${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]\n`;
  return text;
}

describe("YAML errors name the file, line and column", () => {
  it("a syntax error has its position", async () => {
    const file = write("syntax.yaml", example.replace("formats: [CSV]", "formats: [CSV"));
    const [issue] = await issuesOf(file);
    expect(issue).toMatchObject({ file, path: "", line: 33, column: 1 });
    expect(issue.message).toMatch(/^YAML syntax error: Flow sequence .* end with a \]/);
  });

  it("a duplicate key is reported at its second occurrence", async () => {
    const file = write("dup.yaml", example.replace("homeRegion: us-east-1\n", "homeRegion: us-east-1\nhomeRegion: eu-west-1\n"));
    expect(await issuesOf(file)).toEqual([
      { file, path: "homeRegion", line: 7, column: 1, message: 'duplicate key "homeRegion": YAML keeps only one value; remove or rename one' },
    ]);
  });

  it("a missing required field is worded as required, with what to add where", async () => {
    const file = write("missing.yaml", example.replace("  bucketName: acme-backup-reports-111122223333\n", ""));
    expect(await issuesOf(file)).toEqual([
      { file, path: "reports.bucketName", line: 22, column: 1, message: "required field missing: add `bucketName:` (string) to reports" },
    ]);
    const top = write("top.yaml", example.replace("organizationId: o-abc123def4\n", ""));
    expect((await issuesOf(top))[0].message).toBe("required field missing: add `organizationId:` (string) to the top level");
  });

  it("an unknown key is reported at its own line", async () => {
    const file = write("unknown.yaml", example.replace("  workgroup: backup-reports\n", "  workgroup: backup-reports\n  workgrup: x\n"));
    const [issue] = await issuesOf(file);
    expect(issue).toMatchObject({ path: "analytics.workgrup", line: 36, column: 3 });
    expect(issue.message).toBe(
      'unknown field "workgrup": did you mean "workgroup"? (fields here: enabled, databaseName, workgroup, resultsBucketName, logRetentionDays, kmsKeyArn)',
    );
  });

  it("an unknown key inside a per-template override or a nullable section gets the nearest field, or none", async () => {
    const file = write(
      "nested.yaml",
      example
        .replace("  formats: [CSV]\n", "  formats: [CSV]\n  overrides:\n    COPY_JOB_REPORT:\n      keyPrefx: Copy\n")
        .replace("  delegatedAdminAccountId: null\n", "  delegatedAdminAccountId: null\n  globalSettings:\n    isMpaEnabled: false\n    isCrossAccountBackupEnabled: true\n    isDelegatedAdministratorEnabled: true\n    colour: blue\n"),
    );
    const issues = await issuesOf(file);
    expect(issues.map((i) => [i.path, i.message.split(" (fields here")[0]])).toEqual([
      ["organization.globalSettings.colour", 'unknown field "colour": remove it or check the spelling'],
      ["reports.overrides.COPY_JOB_REPORT.keyPrefx", 'unknown field "keyPrefx": did you mean "keyPrefix"?'],
    ]);
    expect(issues[0].message).toContain("(fields here: isCrossAccountBackupEnabled, isMpaEnabled, isDelegatedAdministratorEnabled)");
  });

  it("a wrong value is echoed", async () => {
    const file = write("wrong.yaml", example.replace("homeRegion: us-east-1", "homeRegion: Frankfurt").replace("formats: [CSV]", "formats: [XML]"));
    const issues = await issuesOf(file);
    expect(issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ["homeRegion", 6, 1],
      ["reports.formats[0]", 32, 13],
    ]);
    expect(issues[0].message).toBe('an AWS Region name such as us-east-1; got "Frankfurt"');
    expect(issues[1].message).toMatch(/expected one of "CSV"\|"JSON"; got "XML"$/);
  });
});

describe("hostile and accidental inputs are config errors naming the file (exit 2)", () => {
  it("an alias bomb", async () => {
    const file = write("bomb.yaml", aliasBomb());
    expect(await issuesOf(file)).toEqual([
      {
        file,
        path: "",
        line: null,
        column: null,
        message: `YAML aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} per file; an alias bomb?): write the values out`,
      },
    ]);
    const { code, stderr } = await validate(file);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: YAML aliases expand to too many nodes`);
  });

  it("deep nesting, within the parser's reach and beyond it", async () => {
    const deep = write("deep.yaml", `name: deep\ntags: ${"[".repeat(MAX_NESTING_DEPTH + 1)}${"]".repeat(MAX_NESTING_DEPTH + 1)}\n`);
    const [issue] = await issuesOf(deep);
    expect(issue).toMatchObject({ file: deep, line: 2 });
    expect(issue.message).toBe(`lists and mappings nested deeper than ${MAX_NESTING_DEPTH} levels: a landing-zone config needs 7 at most`);
    const deeper = write("deeper.yaml", `name: deep\ntags: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    const issues = await issuesOf(deeper);
    expect(issues[0].file).toBe(deeper);
    expect(issues[0].message).toMatch(/nested too deeply|nested deeper than/);
    expect((await validate(deeper)).code).toBe(2);
  });

  it("a binary file", async () => {
    const file = write("binary.yaml", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]));
    expect(await issuesOf(file)).toEqual([
      { file, path: "", line: null, column: null, message: "is a binary file (NUL byte at offset 7), not a YAML landing-zone config: name the .yaml file" },
    ]);
    expect((await validate(file)).code).toBe(2);
  });

  it("a Latin-1 file, with the line of the first byte that is not UTF-8", async () => {
    const file = write("latin1.yaml", Buffer.from(example.replace("owner: platform-team", "owner: équipe"), "latin1"));
    expect(await issuesOf(file)).toEqual([
      { file, path: "", line: 8, column: 10, message: "is not valid UTF-8 text: save it as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)" },
    ]);
    expect((await validate(file)).code).toBe(2);
  });

  it("a UTF-16 file", async () => {
    const file = write("utf16.yaml", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(example, "utf16le")]));
    expect((await issuesOf(file))[0].message).toBe("is UTF-16 text: save it as UTF-8 (YAML config files are read as UTF-8)");
  });

  it("a UTF-8 BOM is accepted", async () => {
    const file = write("bom.yaml", `\uFEFF${example}`);
    expect((await loadLandingZones([file]))[0].name).toBe("acme-prod");
  });

  it("a file over the size limit is refused before it is read", async () => {
    const file = write("huge.yaml", example);
    // A sparse file: the size is what counts, nothing is written or read.
    const fd = openSync(file, "r+");
    ftruncateSync(fd, MAX_CONFIG_BYTES + 1);
    closeSync(fd);
    expect(await issuesOf(file)).toEqual([
      {
        file,
        path: "",
        line: null,
        column: null,
        message:
          "the file has 16777217 bytes, over the 16 MiB (16777216 bytes) limit for a landing-zone config (a landing zone needs a few kilobytes): " +
          "remove generated content, or split it into one file per landing zone",
      },
    ]);
  });
});
