// A plot by partition keeps its axis readable however many partitions there are (issue 28, "readable axes"): the
// labels are thinned, never drawn over each other. Past ~35,000 partitions the steps between labelled keys ran out
// (5,000 at most), and the labels of a daily asset ran into each other.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, startPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";
import { chromiumPath, launch } from "./browser.js";
import { day, seedMaterializations } from "./seed-run.js";

const SHOTS = process.env.PIPES_UI_SCREENSHOTS;
const PARTITIONS = 40_000;

type LabelBox = { text: string; left: number; right: number };

describe.skipIf(!chromiumPath)("a plot by partition", () => {
  let browser: Browser;
  let server: Running;
  let url: string;
  beforeAll(async () => {
    const dir = tempDir("pipes-ui-axis-");
    writeFileSync(join(dir, "defs.ts"), `export default { assets: { days: { function: "days", partitions: { type: "daily", start: "1990-01-01", end: "${day(PARTITIONS)}" } } }, functions: { days: { handler: "./days.handler" } } };\n`);
    writeFileSync(join(dir, "days.mjs"), "export const handler = async () => null;\n");
    seedMaterializations(dir, { runId: "33333333-1000-4000-8000-000000000000", partitions: PARTITIONS, startedAt: "2026-01-02T03:04:05.000Z" });
    server = startPipes(["ui", "--port", "0"], { cwd: dir, env: { PIPES_HISTORY: "1" } });
    const [, base, token] = await server.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+\/)\?token=(\S+)/, 30_000);
    url = `${base}?token=${token}`;
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
    await server?.exited;
  });
  it("of a daily asset with 40,000 partitions: its labels are keys, in order, none overlapping", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}#/asset/days`);
    const chart = page.locator('.chart[data-metadata="rows"]');
    await chart.locator("canvas").waitFor({ timeout: 30_000 });
    expect(await chart.getAttribute("data-points")).toBe(String(PARTITIONS));
    await page.waitForFunction(() => document.querySelector('.chart[data-metadata="rows"]')?.getAttribute("data-x-labels"));
    const boxes = JSON.parse((await chart.getAttribute("data-x-labels"))!) as LabelBox[];
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    for (const box of boxes) expect(box.text).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(boxes.map((b) => b.text)).toEqual(boxes.map((b) => b.text).sort());
    // A label's box ends before the next one's begins.
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.left, `${boxes[i - 1]!.text} and ${boxes[i]!.text}`).toBeGreaterThan(boxes[i - 1]!.right);
    if (SHOTS) await chart.screenshot({ path: join(SHOTS, "asset-plot-40000-partitions.png") });
    await page.close();
  });
});
