import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { watchTree, type Watcher } from "../../src/dev/watch.js";
import { waitUntil } from "../helpers/emulator.js";

let watcher: Watcher | undefined;
let root: string | undefined;

afterEach(async () => {
  await watcher?.close();
  if (root) rmSync(root, { recursive: true, force: true });
  watcher = root = undefined;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("pipes dev's file watcher", () => {
  it("reports a save by rename as a change of the file alone, also when it saw the editor's temp file first", async () => {
    root = mkdtempSync(join(tmpdir(), "pipes-watch-"));
    mkdirSync(join(root, "handlers"));
    const file = join(root, "handlers/ingest.mjs");
    writeFileSync(file, "export const v = 0;\n");
    const batches: string[][] = [];
    watcher = watchTree(root, (files) => batches.push(files));
    await watcher.ready;
    for (let i = 1; i <= 5; i++) {
      batches.length = 0;
      const tmp = `${file}.pipes-test-tmp`;
      writeFileSync(tmp, readFileSync(file, "utf8").replace(/\d+/, String(i)));
      // An editor (or a test on a loaded machine) that takes a moment between writing its temp file and renaming
      // it over the real one: long enough for the watcher to see the temp file, and shorter than the watcher's
      // settle time, so both land in one batch. The temp file is gone by then, and is no change of the project.
      await pause(40);
      renameSync(tmp, file);
      await waitUntil(() => batches.some((b) => b.includes(file)), 10_000);
      await pause(300); // the temp file's delayed unlink, had it been reported
      expect(batches).toEqual([[file]]);
    }
  });

  it("tells of each file event before its batch settles, so pipes dev can start a fresh worker early", async () => {
    root = mkdtempSync(join(tmpdir(), "pipes-watch-"));
    const file = join(root, "handler.mjs");
    writeFileSync(file, "export const v = 0;\n");
    const order: string[] = [];
    watcher = watchTree(
      root,
      (files) => order.push(`batch ${files.join(",")}`),
      (seen) => order.push(`seen ${seen}`),
    );
    await watcher.ready;
    writeFileSync(file, "export const v = 1;\n");
    await waitUntil(() => order.some((e) => e.startsWith("batch")), 10_000);
    expect(order[0]).toBe(`seen ${file}`);
    expect(order.at(-1)).toBe(`batch ${file}`);
  });
});
