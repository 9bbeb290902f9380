// The run page tells the truth and stays short (issue 28, "Run page"): a timeline with a time axis, a label per
// row, a legend and a tooltip per bar, interrupted calls drawn; steps filtered and paged, so the one failed step
// of a 1,000- or 10,000-step run is a choice away; logs filtered by level; retries linked both ways.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, type Running, runPipes, startPipes } from "../helpers/run-pipes.js";
import { interruptedRun } from "./interrupted-run.js";
import { tempDir } from "../helpers/temp.js";
import { chromiumPath, launch } from "./browser.js";
import { day, seedRun } from "./seed-run.js";

const HISTORY = { PIPES_HISTORY: "1" };
const SHOTS = process.env.PIPES_UI_SCREENSHOTS;
const LONG = "11111111-1000-4000-8000-000000000000";
const HUGE = "22222222-1000-4000-8000-000000000000";

let servers: Running[] = [];
let running: Running[] = [];
afterEach(async () => {
  for (const r of running) r.child.kill("SIGTERM");
  await Promise.all(running.map((r) => r.exited));
  running = [];
});

async function serve(cwd: string, env: Record<string, string> = {}): Promise<string> {
  const r = startPipes(["ui", "--port", "0"], { cwd, env: { ...HISTORY, ...env } });
  servers.push(r);
  const [, url, token] = await r.waitFor(/(?:Ready|UI) on (http:\/\/127\.0\.0\.1:\d+\/)\?token=(\S+)/, 30_000);
  return `${url}?token=${token}`;
}

/** A daily asset since 1990, with a run of 1,000 of its days (the 998th fails) and one of 10,000 (the last fails). */
function longRunsProject(): string {
  const dir = tempDir("pipes-ui-run-long-");
  writeFileSync(join(dir, "defs.ts"), 'export default { assets: { days: { function: "days", partitions: { type: "daily", start: "1990-01-01", end: "2020-01-01" } } }, functions: { days: { handler: "./days.handler" } } };\n');
  writeFileSync(join(dir, "days.mjs"), "export const handler = async () => null;\n");
  seedRun(dir, { runId: LONG, steps: 1000, failAt: 997, startedAt: "2026-01-01T10:00:00.000Z" });
  seedRun(dir, { runId: HUGE, steps: 10_000, failAt: 9_999, startedAt: "2026-01-02T10:00:00.000Z" });
  return dir;
}

/** A daily asset of five days (one fails on request), and one that waits a minute (to be interrupted). */
function smallProject(): { dir: string; env: Record<string, string> } {
  const dir = tempDir("pipes-ui-run-small-");
  copyFixture("partitions", dir);
  const state = join(dir, "state");
  mkdirSync(state);
  writeFileSync(
    join(dir, "defs.ts"),
    `const state = process.env.PIPES_FIXTURE_STATE ?? "";
export default {
  assets: {
    events: { function: "record", partitions: { type: "daily", start: "2024-01-01", end: "2024-01-11" }, event: { asset: "events" } },
    slow: { function: "slow" },
  },
  functions: { record: { handler: "./handlers/record.handler", environment: { PIPES_FIXTURE_STATE: state }, concurrency: 10 }, slow: { handler: "./slow.handler", timeout: 60 } },
};
`,
  );
  writeFileSync(join(dir, "slow.mjs"), "export const handler = async () => { await new Promise((r) => setTimeout(r, 60000)); return null; };\n");
  writeFileSync(join(state, "fail-events-2024-01-03"), "");
  return { dir, env: { ...HISTORY, PIPES_FIXTURE_STATE: state } };
}

const visibleSteps = (page: Page) => page.locator(".steps details").evaluateAll((els) => els.map((e) => e.getAttribute("data-step")));

describe.skipIf(!chromiumPath)("the run page", () => {
  let browser: Browser;
  let page: Page;
  let longUrl: string;
  const errors: string[] = [];
  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (e) => errors.push(e.message));
    longUrl = await serve(longRunsProject());
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    for (const r of servers) r.child.kill("SIGTERM");
    await Promise.all(servers.map((r) => r.exited));
    servers = [];
  });

  it("a 1,000-step run: one screen of 25 steps, pages that turn, filters (failed only, text) that find the failed step at the end", async () => {
    await page.goto(`${longUrl}#/runs/${LONG}`);
    await page.waitForSelector(".steps details");
    expect(await visibleSteps(page)).toEqual(Array.from({ length: 25 }, (_, i) => `days[${day(i)}]`));
    expect(await page.textContent(".page-of")).toBe("1–25 of 1,000 steps · page 1 of 40");
    // At most a screen: the list of steps is shorter than the window.
    expect((await page.locator(".steps").boundingBox())!.height).toBeLessThan(900);
    await page.click("button[data-action=next]");
    expect((await visibleSteps(page))[0]).toBe(`days[${day(25)}]`);
    expect(await page.textContent(".page-of")).toBe("26–50 of 1,000 steps · page 2 of 40");
    await page.click("button[data-action=previous]");
    expect((await visibleSteps(page))[0]).toBe(`days[${day(0)}]`);

    await page.selectOption("select[name=status]", "failed");
    expect(await visibleSteps(page)).toEqual([`days[${day(997)}]`]);
    expect(await page.textContent(".steps details")).toContain("Error: kaboom-997");
    expect(await page.textContent(".page-of")).toBe("1–1 of 1 steps (1,000 in all) · page 1 of 1");
    await page.selectOption("select[name=status]", "all");
    await page.fill("input[name=step-text]", "kaboom");
    expect(await visibleSteps(page)).toEqual([`days[${day(997)}]`]);
    await page.fill("input[name=step-text]", "1990-02-0");
    expect(await visibleSteps(page)).toEqual(Array.from({ length: 9 }, (_, i) => `days[1990-02-0${i + 1}]`));
    await page.fill("input[name=step-text]", "");

    // The timeline: a bar per invocation on about 40 rows, each named by its asset and partitions, with ticks and a legend.
    expect(await page.locator("svg.timeline rect.bar").count()).toBe(1000);
    const rows = await page.locator("svg.timeline text.row-label").allTextContents();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThanOrEqual(45);
    expect(rows[0]).toBe(`days[${day(0)} … ${day(24)}]`);
    for (const row of rows) expect(row).toMatch(/^days\[\d{4}-\d\d-\d\d( … \d{4}-\d\d-\d\d)?\]$/);
    const ticks = await page.locator("svg.timeline text.tick").allTextContents();
    expect(ticks[0]).toBe("0 s");
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks).toContain("2 s");
    expect(await page.locator(".legend li").allTextContents()).toEqual(["waiting for the call (throttle waits included)", "init (cold start)", "running", "failed", "interrupted", "↻n throttled n× and retried"]);
    expect(await page.textContent(".timeline-wrap .note")).toContain("1,000 steps on");
    // The failed bar leads to its step, on its page, with its log open.
    await page.locator("svg.timeline rect.bar.failed").click();
    expect(await page.locator(`details[data-step="days[${day(997)}]"]`).getAttribute("open")).not.toBeNull();
    expect(await page.textContent(".page-of")).toContain("page 40 of 40");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "run-1000.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("logs filter by level, a step's and the whole run's", async () => {
    await page.goto(`${longUrl}#/runs/${LONG}`);
    await page.waitForSelector(".steps details");
    await page.selectOption("select[name=status]", "failed");
    const step = page.locator(".steps details").first();
    await step.locator("summary").click();
    // The log is built on the details' toggle event, which fires after the click returns.
    await step.locator("pre.log .line").first().waitFor();
    const levels = () => step.locator("pre.log .line").evaluateAll((els) => els.map((e) => e.getAttribute("data-level")));
    expect(await levels()).toEqual(["DEBUG", "INFO", "WARNING", "ERROR", "ERROR", "ERROR"]);
    expect(await step.locator("pre.log").textContent()).toContain("rows read for");
    await step.locator("select[name=level]").selectOption("WARNING");
    expect(await levels()).toEqual(["WARNING", "ERROR", "ERROR", "ERROR"]);
    expect(await step.locator("pre.log").textContent()).toContain("this is the last line before it");
    expect(await step.locator("pre.log").textContent()).not.toContain("rows read for");

    const runLog = page.locator("h2:text('Logs') + .log-view");
    await runLog.locator("select[name=level]").selectOption("ERROR");
    const lines = await runLog.locator("pre.log .line").allTextContents();
    expect(lines.length).toBe(3);
    expect(lines.join("")).toContain(`days[${day(997)}]  ✖ Error: kaboom-997`);
    await runLog.locator("select[name=level]").selectOption("DEBUG");
    // Some 5,000 lines: the view holds 500 and says so.
    expect(await runLog.locator("pre.log .line").count()).toBe(500);
    expect(await runLog.textContent()).toMatch(/the first 500 of [\d,]+ lines/);
    await runLog.locator("input[name=log-text]").fill("kaboom-997");
    expect(await runLog.locator("pre.log .line").count()).toBeGreaterThan(0);
    expect(await runLog.locator("pre.log .line").count()).toBeLessThan(10);
  });

  it("a 10,000-step run stays one screen of steps and a bounded timeline; its last step, failed, is found", async () => {
    await page.goto(`${longUrl}#/runs/${HUGE}`);
    await page.waitForSelector(".steps details", { timeout: 60_000 });
    expect(await page.locator(".steps details").count()).toBe(25);
    expect(await page.textContent(".page-of")).toBe("1–25 of 10,000 steps · page 1 of 400");
    expect(await page.locator("svg.timeline text.row-label").count()).toBeLessThanOrEqual(45);
    expect(Number(await page.getAttribute("svg.timeline", "height"))).toBeLessThan(1100);
    // Its calls that touch are drawn as one bar each (a few hundred elements, not 30,000); the failed one stays its own.
    expect(await page.locator("svg.timeline rect.bar").count()).toBeLessThan(500);
    expect(await page.locator("svg.timeline rect.bar.merged").first().locator("title").textContent()).toMatch(/^days\[1990-01-01\] … days\[[\d-]+\]: [\d,]+ successful calls\n/);
    expect(await page.locator(`svg.timeline rect.bar.failed[data-step="days[${day(9999)}]"]`).count()).toBe(1);
    await page.selectOption("select[name=status]", "failed");
    expect(await visibleSteps(page)).toEqual([`days[${day(9999)}]`]);
    await page.selectOption("select[name=status]", "all");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "run-10000-steps.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("a run's timeline names each step's row, has ticks, a legend and a tooltip per bar; a retry and the run it retried link both ways", async () => {
    const { dir, env } = smallProject();
    const failed = await runPipes(["materialize", "events", "--partition-range", "2024-01-01...2024-01-05"], { cwd: dir, env });
    expect(failed.code, failed.stdout).toBe(1);
    expect((await runPipes(["materialize", "--retry", "last"], { cwd: dir, env })).code).toBe(1);
    const url = await serve(dir, env);
    const small = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    small.on("pageerror", (e) => errors.push(e.message));
    await small.goto(`${url}#/runs`);
    await small.waitForSelector("table.runs tbody tr");
    const ids = await small.locator("table.runs tbody tr td:nth-child(2) a").evaluateAll((as) => as.map((a) => a.getAttribute("href")!.replace("#/runs/", "")));
    // Newest first: the retry (its cell links it and the run it retried), then the first run.
    const [retryId, firstId] = [ids[0]!, ids[2]!];

    await small.goto(`${url}#/runs/${firstId}`);
    await small.waitForSelector("svg.timeline rect.bar");
    expect(await small.locator("svg.timeline text.row-label").allTextContents()).toEqual(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"].map((d) => `events[${d}]`));
    expect(await small.locator("svg.timeline text.tick").count()).toBeGreaterThanOrEqual(3);
    // In ms under a second's span, in s past it (a loaded machine runs slower).
    expect(await small.locator("svg.timeline text.tick").first().textContent()).toMatch(/^0 m?s$/);
    expect(await small.textContent(".legend")).toMatch(/init \(cold start\)/);
    const tip = (await small.locator('svg.timeline rect.bar[data-step="events[2024-01-03]"] title').textContent()) ?? "";
    expect(tip).toMatch(/^events\[2024-01-03\]: failed\ncall [\d.]+ m?s\nran [\d.]+ m?s · billed \d+ ms\n/);
    expect(tip).toMatch(/memory \d+ of \d+ MB\ncost \$0\.\d+/);
    // Retried by the retry, which links back.
    expect(await small.textContent("p.retried-by")).toBe(`Retried by run ${retryId.slice(0, 8)} (✖ failed).`);
    if (SHOTS) await small.screenshot({ path: join(SHOTS, "run-timeline.png"), fullPage: true });
    await small.click(`p.retried-by a[href="#/runs/${retryId}"]`);
    await small.waitForSelector("p.retry-of");
    expect(await small.textContent("p.retry-of")).toBe(`A retry of run ${firstId.slice(0, 8)}: what failed or was skipped there.`);
    await small.click(`p.retry-of a[href="#/runs/${firstId}"]`);
    await small.waitForSelector("p.retried-by");
    await small.close();
    expect(errors).toEqual([]);
  }, 120_000);

  it("an interrupted run draws the call it stopped (hatched, with its tooltip), never \"No invocations.\", and is marked ⊘ as pipes runs marks it", async () => {
    const { dir, env } = smallProject();
    const stopped = await interruptedRun(dir, env, running);
    const url = await serve(dir, env);
    const small = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    small.on("pageerror", (e) => errors.push(e.message));
    await small.goto(`${url}#/runs`);
    await small.waitForSelector("table.runs tbody tr");
    const interruptedId = (await small.locator("table.runs tbody tr td:nth-child(2) a").first().getAttribute("href"))!.replace("#/runs/", "");
    expect(interruptedId.slice(0, 8)).toBe(stopped);
    await small.goto(`${url}#/runs/${interruptedId}`);
    await small.waitForSelector("h2:text('Steps')");
    expect(await small.textContent("main")).not.toContain("No invocations.");
    expect(await small.textContent(".run-headline .outcome")).toBe("⊘ interrupted");
    expect(await small.locator('svg.timeline rect.bar.interrupted[data-step="slow"]').count()).toBe(1);
    expect(await small.locator("svg.timeline text.row-label").allTextContents()).toEqual(["slow"]);
    expect(await small.locator('svg.timeline rect.bar[data-step="slow"] title').textContent()).toMatch(/^slow: interrupted\n/);
    expect(await small.textContent('.steps details[data-step="slow"] summary')).toMatch(/^⊘ slow · interrupted/);
    if (SHOTS) await small.screenshot({ path: join(SHOTS, "run-interrupted.png"), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);
});
