import { readFileSync, statSync, type Stats } from "node:fs";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode, type Pair, type YAMLMap } from "yaml";
import { fileIssue, type ConfigIssue, ConfigError } from "./config-error";

/**
 * Reading a config file safely: size, encoding and structure are checked before the YAML becomes a value, so
 * that hostile or accidental inputs (a binary file, an alias bomb, 10,000 nested lists, 50 MB of tags) are
 * refused as config errors naming the file instead of hanging or crashing the process. Every step is linear in
 * the file's size: the `yaml` library's own `uniqueKeys` check compares each key with every earlier one, so
 * duplicate keys are found here with one set per mapping.
 */

/** Largest config file read (16 MiB). A real landing zone has a few kilobytes; 10 MB validates in about 2 s. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Deepest nesting of lists and mappings; the schema itself needs 7 levels. */
export const MAX_NESTING_DEPTH = 64;

/** Aliases (`*name`) expanded per file; more is refused (an alias bomb grows exponentially). */
export const MAX_ALIAS_COUNT = 100;

/** At most this many problems are listed per file (a generated file can have thousands of the same mistake). */
export const MAX_ISSUES_PER_FILE = 50;

export interface Position {
  line: number;
  column: number;
}

/** A parsed config file: its value and where each field is. */
export interface ParsedConfig {
  value: unknown;
  /** Line and column of the deepest existing node on the path (a missing field points at its parent). */
  locate(segments: ReadonlyArray<string | number>): Position | null;
}

function sizeIssue(file: string, size: number): ConfigIssue | null {
  if (size <= MAX_CONFIG_BYTES) return null;
  return fileIssue(
    file,
    `the file has ${size} bytes, over the ${MAX_CONFIG_BYTES / (1024 * 1024)} MiB (${MAX_CONFIG_BYTES} bytes) limit for a landing-zone config ` +
      "(a landing zone needs a few kilobytes): remove generated content, or split it into one file per landing zone",
  );
}

function positionOfOffset(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The file's text, or a config error for binary, UTF-16 and non-UTF-8 content. A UTF-8 BOM is dropped. */
export function decodeConfigBytes(file: string, bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigError([fileIssue(file, "is UTF-16 text: save it as UTF-8 (YAML config files are read as UTF-8)")]);
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new ConfigError([
      fileIssue(file, `is a binary file (NUL byte at offset ${nul}), not a YAML landing-zone config: name the .yaml file`),
    ]);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder("utf-8").decode(bytes);
    const at = positionOfOffset(lossy, lossy.indexOf("\uFFFD"));
    throw new ConfigError([
      { file, path: "", message: "is not valid UTF-8 text: save it as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)", line: at.line, column: at.column },
    ]);
  }
}

function positionOf(node: unknown, lineCounter: LineCounter): Position | null {
  const start = (node as YamlNode | null)?.range?.[0];
  if (start === undefined) return null;
  const pos = lineCounter.linePos(start);
  return { line: pos.line, column: pos.col };
}

/**
 * Duplicate keys, non-text keys and nesting depth, in one pass over the document (an explicit stack: a deeply
 * nested file must not overflow the call stack here). Aliases are not followed: toJS counts their expansion.
 */
function structureIssues(file: string, doc: Document, lineCounter: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (node: unknown, path: string, message: string): ConfigIssue => {
    const pos = positionOf(node, lineCounter);
    return { file, path, message, line: pos?.line ?? null, column: pos?.column ?? null };
  };
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: doc.contents, path: "", depth: 1 }];
  while (stack.length > 0 && issues.length < MAX_ISSUES_PER_FILE) {
    const { node, path, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_NESTING_DEPTH) {
      issues.push(at(node, path, `lists and mappings nested deeper than ${MAX_NESTING_DEPTH} levels: a landing-zone config needs 7 at most`));
      break;
    }
    if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) {
        issues.push(at(pair.key ?? node, path, "a mapping key must be plain text, not a list, a mapping or empty"));
        continue;
      }
      const key = String(pair.key.value);
      const keyPath = path ? `${path}.${key}` : key;
      if (seen.has(key)) issues.push(at(pair.key, keyPath, `duplicate key "${key}": YAML keeps only one value; remove or rename one`));
      seen.add(key);
      stack.push({ node: pair.value, path: keyPath, depth: depth + 1 });
    }
  }
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function syntaxMessage(message: string): string {
  const first = message.split("\n")[0];
  // The yaml parser catches its own stack overflow on absurd nesting and reports it as a parse error.
  if (/call stack/i.test(first)) return `YAML nested too deeply to parse: a landing-zone config needs 7 levels at most`;
  return `YAML syntax error: ${first}`;
}

/** Parses config text into a value with positions; throws a ConfigError naming the file for anything unusable. */
export function parseConfigYaml(file: string, text: string): ParsedConfig {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (err) {
    // The parser catches its own stack overflows as parse errors; this is in case one escapes.
    if (err instanceof RangeError) throw new ConfigError([fileIssue(file, syntaxMessage(err.message))]);
    throw err;
  }
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.slice(0, MAX_ISSUES_PER_FILE).map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, path: "", message: syntaxMessage(e.message), line: pos.line, column: pos.col };
      }),
    );
  }
  const structure = structureIssues(file, doc, lineCounter);
  if (structure.length > 0) throw new ConfigError(structure);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const why = err instanceof ReferenceError && /alias/i.test(err.message)
      ? `YAML aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} per file; an alias bomb?): write the values out`
      : `YAML cannot be read as data: ${err instanceof Error ? err.message : String(err)}`;
    throw new ConfigError([fileIssue(file, why)]);
  }

  // Key lookups per mapping, built on first use: locating many fields stays linear.
  const keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) if (isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
      keyIndex.set(map, index);
    }
    return index.get(key);
  };
  const locate = (segments: ReadonlyArray<string | number>): Position | null => {
    let node: unknown = doc.contents;
    let found: unknown = doc.contents;
    for (const seg of segments) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = pairOf(node, String(seg));
        if (!pair) break;
        node = pair.value;
        // Point at the key so that the position lands on `field:` whatever the value's shape.
        found = pair.key ?? found;
      } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
        node = node.items[seg];
        found = node ?? found;
      } else {
        break;
      }
    }
    return positionOf(found, lineCounter);
  };
  return { value, locate };
}

// The last files parsed, so that locating violations after a load does not read and parse them again.
const cache = new Map<string, { stamp: string; parsed: ParsedConfig }>();
const CACHE_ENTRIES = 32;

function stampOf(stat: Stats): string {
  return `${stat.size}:${stat.mtimeMs}`;
}

function remember(file: string, stamp: string, parsed: ParsedConfig): ParsedConfig {
  cache.delete(file);
  cache.set(file, { stamp, parsed });
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  return parsed;
}

function unreadable(file: string, err: unknown): ConfigError {
  return new ConfigError([fileIssue(file, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`)]);
}

/**
 * Reads and parses one config file: the size is checked before reading, and a file unchanged since it was last
 * parsed is not parsed again (reports locate each violation in its file after the load). Synchronous: files are
 * read one at a time anyway, and the formatters that locate fields are synchronous.
 */
export function readConfigFile(file: string): ParsedConfig {
  let stat: Stats;
  let bytes: Buffer;
  try {
    stat = statSync(file);
    const tooLarge = sizeIssue(file, stat.size);
    if (tooLarge) throw new ConfigError([tooLarge]);
    const hit = cache.get(file);
    if (hit && hit.stamp === stampOf(stat)) return hit.parsed;
    bytes = readFileSync(file);
  } catch (err) {
    throw err instanceof ConfigError ? err : unreadable(file, err);
  }
  return remember(file, stampOf(stat), parseConfigYaml(file, decodeConfigBytes(file, bytes)));
}
