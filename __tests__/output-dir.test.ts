import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeScratchDir, promoteScratchDir } from "../app/output-dir";

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "output-dir-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function put(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

test("a first synth moves the scratch folder into place, readable by others", async () => {
  const final = path.join(work, "cdktf.out");
  const scratch = await makeScratchDir(final);
  expect(path.dirname(scratch)).toBe(work);
  put(path.join(scratch, "stacks", "a", "cdk.tf.json"), "{}");
  put(path.join(scratch, "manifest.json"), '{"stacks":{"a":{}}}');
  expect(await promoteScratchDir(scratch, final)).toEqual({ keptOrphans: [] });
  expect(readFileSync(path.join(final, "stacks", "a", "cdk.tf.json"), "utf8")).toBe("{}");
  expect(statSync(final).mode & 0o777).toBe(0o755);
  expect(existsSync(scratch)).toBe(false);
});

test("later synths replace generated files only: .terraform, lock files and state survive", async () => {
  const final = path.join(work, "cdktf.out");
  // What a deploy leaves behind, next to the previous synth's output.
  put(path.join(final, "manifest.json"), "old manifest");
  put(path.join(final, "stacks", "lz-reporting", "cdk.tf.json"), "old reporting");
  put(path.join(final, "stacks", "lz-reporting", "assets", "old", "x.zip"), "old asset");
  put(path.join(final, "stacks", "lz-reporting", ".terraform", "providers", "p"), "provider");
  put(path.join(final, "stacks", "lz-reporting", ".terraform.lock.hcl"), "lock");
  put(path.join(final, "stacks", "lz-reporting", "terraform.lz-reporting.tfstate"), "state");
  put(path.join(final, "stacks", "gone", "cdk.tf.json"), "removed stack");
  put(path.join(final, "stacks", "gone-deployed", "cdk.tf.json"), "removed stack with state");
  put(path.join(final, "stacks", "gone-deployed", "terraform.tfstate"), "state of a removed stack");

  const scratch = await makeScratchDir(final);
  put(path.join(scratch, "manifest.json"), "new manifest");
  put(path.join(scratch, "stacks", "lz-reporting", "cdk.tf.json"), "new reporting");
  put(path.join(scratch, "stacks", "lz-reporting", "assets", "new", "x.zip"), "new asset");
  put(path.join(scratch, "stacks", "lz-analytics", "cdk.tf.json"), "new analytics");

  expect(await promoteScratchDir(scratch, final)).toEqual({ keptOrphans: ["gone-deployed"] });
  const stack = path.join(final, "stacks", "lz-reporting");
  expect(readFileSync(path.join(stack, "cdk.tf.json"), "utf8")).toBe("new reporting");
  expect(readdirSync(path.join(stack, "assets"))).toEqual(["new"]);
  expect(readFileSync(path.join(stack, ".terraform", "providers", "p"), "utf8")).toBe("provider");
  expect(readFileSync(path.join(stack, ".terraform.lock.hcl"), "utf8")).toBe("lock");
  expect(readFileSync(path.join(stack, "terraform.lz-reporting.tfstate"), "utf8")).toBe("state");
  expect(readFileSync(path.join(final, "stacks", "lz-analytics", "cdk.tf.json"), "utf8")).toBe("new analytics");
  expect(readFileSync(path.join(final, "manifest.json"), "utf8")).toBe("new manifest");
  // A removed stack with nothing but generated files goes; one holding state keeps the state only.
  expect(existsSync(path.join(final, "stacks", "gone"))).toBe(false);
  expect(readdirSync(path.join(final, "stacks", "gone-deployed"))).toEqual(["terraform.tfstate"]);
  expect(readdirSync(work)).toEqual(["cdktf.out"]);
});
