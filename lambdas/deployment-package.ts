import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { zipSync } from "fflate";

/**
 * Lambda deployment package (zip) built once at bundle time. Zipping at synth time (cdktf's ARCHIVE asset)
 * spawns a child process on every synth; a prebuilt zip is only copied. Entries are sorted and stamped with
 * a fixed date so that the same bundle gives the same bytes and Terraform sees no change between builds.
 */
const FIXED_MTIME = new Date("1980-01-01T00:00:00Z");

export function buildDeploymentPackage(files: Readonly<Record<string, Uint8Array>>): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date; level: 9 }]> = {};
  for (const name of Object.keys(files).sort()) entries[name] = [files[name], { mtime: FIXED_MTIME, level: 9 }];
  return zipSync(entries);
}

/** Writes `zipFile` (atomically) holding `index.js` with the given handler source; returns the zip's bytes. */
export function writeDeploymentPackage(zipFile: string, handlerSource: Uint8Array): Uint8Array {
  const zip = buildDeploymentPackage({ "index.js": handlerSource });
  let current: Buffer | null = null;
  try {
    current = readFileSync(zipFile);
  } catch {
    current = null;
  }
  if (current === null || !current.equals(Buffer.from(zip))) {
    writeFileSync(`${zipFile}.tmp`, zip);
    renameSync(`${zipFile}.tmp`, zipFile);
  }
  return zip;
}
