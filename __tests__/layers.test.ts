import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The floors of the code: config/ and reports/ at the bottom, policies/ on config/, app/ (synth orchestration)
 * above them. A lower floor that imports from app/ drags the synth command into every `validate`, and a cycle is
 * one edit away. The one exception is app/project-root.ts, a leaf that only finds the package's folder.
 */
const ROOT = path.resolve(__dirname, "..");

function importsOf(dir: string): Array<{ file: string; spec: string }> {
  return readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith(".ts"))
    .flatMap((f) => {
      const text = readFileSync(path.join(ROOT, dir, f), "utf8");
      return [...text.matchAll(/from "([^"]+)"/g)].map((m) => ({ file: `${dir}/${f}`, spec: m[1] }));
    });
}

test.each(["config", "reports", "policies"])("%s/ imports nothing from app/ but project-root", (dir) => {
  const upward = importsOf(dir).filter(({ spec }) => /(^|\/)app\//.test(spec) && !spec.endsWith("/app/project-root"));
  expect(upward).toEqual([]);
});

test("config/ and reports/ import nothing from policies/, stacks/ or cli/", () => {
  const upward = [...importsOf("config"), ...importsOf("reports")].filter(({ spec }) => /(^|\/)(policies|stacks|cli)\//.test(spec));
  expect(upward).toEqual([]);
});

test("the comma-list reader sits with the config loader that reads BACKUP_AUDIT_CONFIG", () => {
  expect(importsOf("config")).toContainEqual({ file: "config/loader.ts", spec: "./env-list" });
  expect(importsOf("policies")).toContainEqual({ file: "policies/gate.ts", spec: "../config/env-list" });
});
