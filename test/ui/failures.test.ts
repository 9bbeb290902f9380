// The page tells the truth about failures (issue 28): a failed asset says so on its node and leads its page with
// the error; metadata of every kind reads as it should; interrupted runs look as `pipes runs` shows them.
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, FIXTURES, type Running, runPipes, startPipes } from "../helpers/run-pipes.js";
import { interruptedRun } from "./interrupted-run.js";
import { tempDir } from "../helpers/temp.js";
import { chromiumPath, launch } from "./browser.js";

const HISTORY = { PIPES_HISTORY: "1" };
const SHOTS = process.env.PIPES_UI_SCREENSHOTS;

const DEFS = `export default {
  assets: {
    boom: { function: "boom" },
    after_boom: { deps: ["boom"], function: "meta" },
    meta: { function: "meta" },
    slow: { function: "slow" },
  },
  functions: { boom: { handler: "./boom.handler" }, meta: { handler: "./meta.handler" }, slow: { handler: "./slow.handler", timeout: 60 } },
};
`;
// The throw is on line 5 of boom.mjs: the page shows the stack there.
const BOOM = `import { withPipes } from "./pipes-lambda.cjs";
export const handler = withPipes(async (event, pipes) => {
  pipes.log.info("about to fail");
  pipes.log.warning("this is the last line before it");
  throw new Error("kaboom-7\\nsecond line of the message");
});
`;
const META = `import { metadata, withPipes } from "./pipes-lambda.cjs";
export const handler = withPipes(async (event, pipes) => {
  pipes.reportAssetMaterialization({ metadata: {
    dashboard: metadata.url("https://example.com/dash?a=1"),
    sneaky: metadata.url("javascript:window.pwned=1"),
    config: metadata.json({ alpha: 1, beta: { gamma: [1, 2] } }),
    note: metadata.text("<script>window.pwned=2</script>"),
  } });
});
`;
const SLOW = `export const handler = async () => { await new Promise((r) => setTimeout(r, 60000)); return null; };
`;

function project(): string {
  const dir = tempDir("pipes-ui-fail-");
  writeFileSync(join(dir, "defs.ts"), DEFS);
  writeFileSync(join(dir, "boom.mjs"), BOOM);
  writeFileSync(join(dir, "meta.mjs"), META);
  writeFileSync(join(dir, "slow.mjs"), SLOW);
  copyFileSync(join(FIXTURES, "orders", "handlers", "pipes-lambda.cjs"), join(dir, "pipes-lambda.cjs"));
  return dir;
}

let running: Running[] = [];
let servers: Running[] = [];
afterEach(async () => {
  for (const r of running) r.child.kill("SIGTERM");
  await Promise.all(running.map((r) => r.exited));
  running = [];
});

async function serve(cwd: string): Promise<string> {
  const r = startPipes(["ui", "--port", "0"], { cwd, env: HISTORY });
  servers.push(r); // serves every test of the file
  const [, url, token] = await r.waitFor(/(?:Ready|UI) on (http:\/\/127\.0\.0\.1:\d+\/)\?token=(\S+)/, 30_000);
  return `${url}?token=${token}`;
}

describe.skipIf(!chromiumPath)("pipes ui shows failures", () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  beforeAll(async () => {
    const dir = project();
    expect((await runPipes(["materialize", "meta"], { cwd: dir, env: HISTORY })).code).toBe(0);
    const failed = await runPipes(["materialize", "boom", "after_boom"], { cwd: dir, env: HISTORY });
    expect(failed.code, failed.stdout).toBe(1);
    await interruptedRun(dir, HISTORY, running);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    url = await serve(dir);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    for (const r of servers) r.child.kill("SIGTERM");
    await Promise.all(servers.map((r) => r.exited));
    servers = [];
  });

  it("the graph: the failed node says failed with its error's first line; its edges are marked; a skipped one says skipped", async () => {
    await page.goto(url);
    await page.waitForSelector("svg.graph g.node");
    const boom = page.locator('g.node[data-asset="boom"]');
    expect(await boom.getAttribute("class")).toContain("failed");
    expect(await boom.locator("text.outcome").textContent()).toMatch(/^✖ failed: Error: kaboom-7/);
    expect(await boom.locator("text.outcome").textContent()).not.toContain("second line");
    expect(await page.locator('g.node[data-asset="after_boom"]').getAttribute("data-outcome")).toBe("skipped");
    expect(await page.locator('g.node[data-asset="after_boom"] text.outcome').textContent()).toMatch(/^↷ skipped/);
    expect(await page.locator('g.node[data-asset="meta"] text.outcome').textContent()).toMatch(/^✔ materialized/);
    expect(await page.locator('g.node[data-asset="slow"] text.outcome').textContent()).toMatch(/^⊘ interrupted/);
    expect(await page.locator('path.edge[data-from="boom"]').getAttribute("class")).toContain("failed");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "failures-assets.png"), fullPage: true });
  });

  it("the failed asset's page leads with the error, its stack at the handler's line, the logs before it and its run", async () => {
    await page.goto(`${url}#/asset/boom`);
    await page.waitForSelector(".failure");
    const failure = (await page.textContent(".failure")) ?? "";
    expect(failure).toContain("Error: kaboom-7");
    expect(failure).toMatch(/boom\.mjs:5/);
    expect(failure).toContain("this is the last line before it");
    expect(await page.locator(".failure a[href^='#/runs/']").count()).toBe(1);
    // The failure is the first thing after the asset's heading and line.
    expect(await page.evaluate(() => document.querySelector("main section h2")?.textContent)).toMatch(/Latest failure/);
    // The history lists the failed attempt, not "never materialized".
    expect(await page.locator("table.attempts tbody tr").count()).toBe(1);
    expect(await page.textContent("table.attempts")).toMatch(/✖.*failed: Error: kaboom-7/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "failures-asset.png"), fullPage: true });
  });

  it("metadata: a url is a link (http/https only), json shows its keys, a <script> value is text", async () => {
    await page.goto(`${url}#/asset/meta`);
    await page.waitForSelector("table.metadata");
    const link = page.locator('tr[data-metadata="dashboard"] a');
    expect(await link.getAttribute("href")).toBe("https://example.com/dash?a=1");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await page.locator('tr[data-metadata="sneaky"] a').count()).toBe(0);
    expect(await page.textContent('tr[data-metadata="sneaky"]')).toContain("javascript:window.pwned=1");
    const pre = page.locator('tr[data-metadata="config"] details pre');
    expect(await pre.isVisible()).toBe(true); // open, not only in the DOM
    const json = (await pre.textContent()) ?? "";
    expect(json).toContain('"alpha": 1');
    expect(json).toContain('"gamma"');
    expect(await page.textContent('tr[data-metadata="note"]')).toContain("<script>window.pwned=2</script>");
    expect(await page.locator("main script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "failures-metadata.png"), fullPage: true });
  });

  it("the runs list marks an interrupted run ⊘ as pipes runs does, and filters by outcome", async () => {
    await page.goto(`${url}#/runs`);
    await page.waitForSelector("main h1:text('Runs')");
    await page.waitForSelector("main table tbody tr");
    const marks = await page.locator("main table tbody tr td:first-child").allTextContents();
    expect(marks).toEqual(["⊘", "✖", "✔"]);
    await page.selectOption("select[name=outcome]", "failed");
    expect(await page.locator("table.runs tbody tr:visible").count()).toBe(1);
    expect(await page.locator("table.runs tbody tr:visible td:first-child").textContent()).toBe("✖");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "failures-runs.png"), fullPage: true });
    await page.selectOption("select[name=outcome]", "all");
    expect(await page.locator("table.runs tbody tr:visible").count()).toBe(3);
  });

  it("pipes dev --ui: a node says running while its invocation is in flight", async () => {
    const dir = project();
    const dev = startPipes(["dev", "--ui"], { cwd: dir, env: HISTORY });
    running.push(dev);
    const [, devUrl, token] = await dev.waitFor(/(?:Ready|UI) on (http:\/\/127\.0\.0\.1:\d+\/)\?token=(\S+)/, 30_000);
    const live = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await live.goto(`${devUrl}?token=${token}`);
    await live.waitForSelector('g.node[data-asset="slow"][data-outcome="never"]');
    await live.waitForFunction(() => document.getElementById("live")?.textContent?.includes("live"), undefined, { timeout: 15_000 });
    await live.fill("input[name=selection]", "slow");
    await live.click("button[data-action=materialize-selection]");
    await live.waitForSelector('g.node[data-asset="slow"][data-outcome="running"]', { timeout: 30_000 });
    expect(await live.locator('g.node[data-asset="slow"] text.outcome').textContent()).toBe("● running");
    if (SHOTS) await live.screenshot({ path: join(SHOTS, "failures-running.png"), fullPage: true });
    await live.close();
  });

  it("a failed check is named on its asset's node", async () => {
    const dir = tempDir("pipes-ui-fail-checks-");
    copyFixture("checks", dir);
    expect((await runPipes(["materialize", "--all", "--extra", "fail=typed"], { cwd: dir, env: HISTORY })).code).toBe(1);
    const checksUrl = await serve(dir);
    const checks = await browser.newPage();
    await checks.goto(checksUrl);
    await checks.waitForSelector('g.node[data-asset="orders"]');
    expect(await checks.locator('g.node[data-asset="orders"] text.checks').textContent()).toBe("✖ check failed: typed");
    if (SHOTS) await checks.screenshot({ path: join(SHOTS, "failures-checks.png"), fullPage: true });
    await checks.close();
  });
});
