// The asset page reads as the asset is (issue 28, "Asset page" and "Graph"): every metadata kind Dagster defines
// rendered as it reads and escaped always, numbers plotted by partition key, a long history paged, a partitioned
// node's health bar, and the Materialize button of `pipes dev --ui` saying running, then how it went.
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, type Running, runPipes, startPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";
import { chromiumPath, launch } from "./browser.js";

const HISTORY = { PIPES_HISTORY: "1" };
const SHOTS = process.env.PIPES_UI_SCREENSHOTS;

const DEFS = `export default {
  assets: {
    kinds: { function: "kinds" },
    daily: { function: "daily", partitions: { type: "daily", start: "2024-01-01", end: "2024-02-20" } },
    boom: { function: "boom" },
  },
  functions: { kinds: { handler: "./kinds.handler" }, daily: { handler: "./daily.handler", concurrency: 8 }, boom: { handler: "./boom.handler", timeout: 60 } },
};
`;
const RUN_ID = "0123abcd-0000-4000-8000-000000000000";
const KINDS = `import { metadata, withPipes } from "./pipes-lambda.cjs";
export const handler = withPipes(async (event, pipes) => {
  pipes.reportAssetMaterialization({ metadata: {
    note: metadata.text("<script>alert(1)</script>"),
    dashboard: metadata.url("https://example.com/dash?a=1"),
    sneaky: metadata.url("javascript:alert(2)"),
    sneaky_case: metadata.url(" JaVaScRiPt:alert(5)"),
    sneaky_tab: metadata.url("java\tscript:alert(6)"),
    sneaky_data: metadata.url("data:text/html,<script>alert(7)</script>"),
    sneaky_relative: metadata.url("//evil.example/x"),
    out_path: metadata.path("/data/out/<b>orders</b>.parquet"),
    notebook: metadata.notebook("/notebooks/explore.ipynb"),
    config: metadata.json({ alpha: 1, beta: { gamma: [1, 2] } }),
    // A heading's closing #s need a space before them (C# stays C#); a link inside brackets links its own text
    // (CommonMark); 20,000 open brackets stay text.
    nested: metadata.md("## Learn C#\\n\\nsee [a [b](https://example.com/b) here\\n\\n" + "[".repeat(20000)),
    readme: metadata.md("# Orders\\n\\nSome **bold** and *soft* text with \`code\`.\\n\\n- first item\\n- [docs](https://example.com/docs)\\n- [evil](javascript:alert(3))\\n\\n<img src=x onerror=alert(4)>"),
    ratio: metadata.float(0.25),
    rows: metadata.int(1234),
    fresh: metadata.bool(true),
    nothing: metadata.null(null),
    updated: metadata.timestamp(1704110400),
    sample: metadata.table({ records: [{ id: 1, name: "<i>a</i>" }, { id: 2, name: "b" }], schema: [{ name: "id", type: "int" }, { name: "name", type: "string" }] }),
    schema: metadata.tableSchema({ columns: [{ name: "id", type: "int", description: "the key" }, { name: "name", type: "string" }] }),
    lineage: metadata.tableColumnLineage({ deps_by_column: { id: [{ asset_key: "daily", column_name: "day" }] } }),
    upstream: metadata.asset("daily"),
    source_run: metadata.dagsterRun("${RUN_ID}"),
    job: metadata.job("nightly"),
  } });
});
`;
// rows: the day of the month (+ a bump given as an extra), so a line by partition rises day by day; one day fails.
const DAILY = `import { withPipes } from "./pipes-lambda.cjs";
export const handler = withPipes(async (event, pipes) => {
  const key = pipes.partitionKey;
  if (key === "2024-01-10") throw new Error("no data for " + key);
  pipes.reportAssetMaterialization({ metadata: { rows: Number(key.slice(8)) + Number(pipes.extras.bump ?? 0) } });
});
`;
/** Waits for a file the test writes: the page can be seen saying running before the throw. */
const boom = (go: string) => `import { existsSync } from "node:fs";
import { withPipes } from "./pipes-lambda.cjs";
export const handler = withPipes(async () => {
  while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 50));
  throw new Error("kaboom-9\\nsecond line");
});
`;

function project(): string {
  const dir = tempDir("pipes-ui-asset-");
  writeFileSync(join(dir, "defs.ts"), DEFS);
  writeFileSync(join(dir, "kinds.mjs"), KINDS);
  writeFileSync(join(dir, "daily.mjs"), DAILY);
  writeFileSync(join(dir, "boom.mjs"), boom(join(dir, "go")));
  copyFileSync(join(FIXTURES, "orders", "handlers", "pipes-lambda.cjs"), join(dir, "pipes-lambda.cjs"));
  return dir;
}

const processes: Running[] = [];

async function serve(args: string[], cwd: string): Promise<string> {
  const r = startPipes(args, { cwd, env: HISTORY });
  processes.push(r);
  const [, url, token] = await r.waitFor(/(?:Ready|UI) on (http:\/\/127\.0\.0\.1:\d+\/)\?token=(\S+)/, 30_000);
  return `${url}?token=${token}`;
}

describe.skipIf(!chromiumPath)("pipes ui: the asset page", () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  let dir: string;
  const alerts: string[] = [];
  /** What the browser logged as errors: a style or script the page's CSP refused shows here. */
  const consoleErrors: string[] = [];
  beforeAll(async () => {
    dir = project();
    expect((await runPipes(["materialize", "kinds"], { cwd: dir, env: HISTORY })).code).toBe(0);
    // 40 days in one run (one fails), then 3 of them again with other values: the latest value of each is plotted.
    const days = await runPipes(["materialize", "daily", "--partition-range", "2024-01-01...2024-02-09"], { cwd: dir, env: HISTORY });
    expect(days.code, days.stdout).toBe(1);
    expect((await runPipes(["materialize", "daily", "--partition-range", "2024-01-05...2024-01-07", "--extra", "bump=100"], { cwd: dir, env: HISTORY })).code).toBe(0);
    browser = await launch();
    // A browser half a day off UTC: every date the page shows must still be UTC.
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: "Pacific/Kiritimati" });
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    page.on("dialog", (d) => {
      alerts.push(d.message());
      void d.dismiss();
    });
    url = await serve(["ui", "--port", "0"], dir);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    for (const r of processes) r.child.kill("SIGTERM");
    await Promise.all(processes.map((r) => r.exited));
  });

  it("every metadata kind reads as it is: links, copyable paths, json, markdown, tables, dates, assets and runs; nothing of it runs", async () => {
    await page.goto(`${url}#/asset/kinds`);
    await page.waitForSelector("table.metadata");
    const row = (name: string) => page.locator(`table.metadata tr[data-metadata="${name}"]`);
    expect(await row("note").locator("td").first().textContent()).toBe("<script>alert(1)</script>");
    expect(await row("dashboard").locator("a").getAttribute("href")).toBe("https://example.com/dash?a=1");
    expect(await row("sneaky").locator("a").count()).toBe(0);
    expect(await row("out_path").locator("code").textContent()).toBe("/data/out/<b>orders</b>.parquet");
    expect(await row("out_path").locator("button.copy").count()).toBe(1);
    expect(await row("notebook").locator("button.copy").count()).toBe(1);
    expect(await row("config").locator("details pre").textContent()).toContain('"gamma"');
    // Markdown: a heading, emphasis, code, a list with an http link; the javascript: link and the <img> stay text.
    const md = row("readme").locator(".markdown");
    expect(await md.locator("h3").textContent()).toBe("Orders");
    expect(await md.locator("strong").textContent()).toBe("bold");
    expect(await md.locator("em").textContent()).toBe("soft");
    expect(await md.locator("code").textContent()).toBe("code");
    expect(await md.locator("li").count()).toBe(3);
    expect(await md.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(["https://example.com/docs"]);
    expect(await md.textContent()).toContain("[evil](javascript:alert(3))");
    expect(await md.textContent()).toContain("<img src=x onerror=alert(4)>");
    const nested = row("nested").locator(".markdown");
    expect(await nested.locator("h4").textContent()).toBe("Learn C#");
    expect(await nested.locator("a").evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.textContent]))).toEqual([["https://example.com/b", "b"]]);
    expect(await nested.locator("p").first().textContent()).toBe("see [a b here");
    expect(await nested.locator("p").nth(1).textContent()).toMatch(/^\[{19000,20000}$/); // cut at the renderer's 20,000 characters
    for (const name of ["sneaky_case", "sneaky_tab", "sneaky_data", "sneaky_relative"]) expect(await row(name).locator("a").count(), name).toBe(0);
    expect(await row("ratio").locator("td").first().textContent()).toBe("0.25");
    expect(await row("rows").locator("td").first().textContent()).toBe("1234");
    expect(await row("fresh").locator("td").first().textContent()).toBe("✔ true");
    expect(await row("nothing").locator("td").first().textContent()).toBe("null");
    expect(await row("updated").locator("td").first().textContent()).toBe("2024-01-01 12:00:00 UTC");
    expect(await row("sample").locator("table.metadata-table th").allTextContents()).toEqual(["id", "name"]);
    expect(await row("sample").locator("table.metadata-table tbody tr").count()).toBe(2);
    expect(await row("sample").locator("table.metadata-table tbody").textContent()).toContain("<i>a</i>");
    expect(await row("schema").locator("tbody tr").allTextContents()).toEqual(["idintthe key", "namestring"]);
    expect(await row("lineage").locator("tbody").textContent()).toBe("iddaily.day");
    expect(await row("upstream").locator("a").getAttribute("href")).toBe("#/asset/daily");
    expect(await row("source_run").locator("a").getAttribute("href")).toBe(`#/runs/${RUN_ID}`);
    expect(await row("job").locator("td").first().textContent()).toBe("nightly");
    // An unpartitioned asset's numbers are plotted over time, at the run's start in UTC.
    const started = await page.evaluate(async () => (await (await fetch(`/api/assets/kinds/history`, { headers: { "X-Pipes-Token": sessionStorage.getItem("pipes-token") ?? "" } })).json()).materializations[0].startedAt);
    expect(await page.locator('.chart[data-metadata="rows"]').getAttribute("data-x")).toBe("time");
    expect(await page.locator('.chart[data-metadata="rows"] .chart-values tbody td').first().textContent()).toBe(new Date(started).toISOString().replace("T", " ").slice(0, 19));
    // Nothing the function sent became markup: no script, image, italic or bold element from a value.
    expect(await page.locator("main script, main img, main i, main b").count()).toBe(0);
    expect(await page.locator('main a[href^="javascript:"]').count()).toBe(0);
    expect(alerts).toEqual([]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "asset-metadata.png"), fullPage: true });
  });

  it("a partitioned asset's numbers are plotted by partition key, in key order, the latest value of each", async () => {
    await page.goto(`${url}#/asset/daily`);
    await page.waitForSelector('.chart[data-metadata="rows"] canvas');
    const chart = page.locator('.chart[data-metadata="rows"]');
    expect(await chart.getAttribute("data-x")).toBe("partition");
    expect(await chart.getAttribute("data-points")).toBe("39"); // 40 days, one failed
    const keys = await chart.locator(".chart-values tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-key")));
    expect(keys).toHaveLength(39);
    expect(keys[0]).toBe("2024-01-01");
    expect(keys.at(-1)).toBe("2024-02-09");
    expect(keys).not.toContain("2024-01-10");
    expect([...keys].sort()).toEqual(keys);
    const value = (key: string) => chart.locator(`.chart-values tr[data-key="${key}"] td`).nth(1).textContent();
    expect(await value("2024-01-04")).toBe("4");
    expect(await value("2024-01-05")).toBe("105"); // the second run's, not the first's
    // The axis labels are partition keys (the legend shows the key under the cursor), not run ids.
    expect(await chart.locator(".u-legend").textContent()).toContain("partition");
    // Under the cursor, the legend names the partition there (x is a key's index, not a run or a time).
    const over = await chart.locator(".u-over").boundingBox();
    await page.mouse.move(over!.x + over!.width / 2, over!.y + over!.height / 2);
    expect(await chart.locator(".u-legend .u-value").first().textContent()).toMatch(/^2024-0[12]-\d\d$/);
    // uPlot and the metadata views work under the page's CSP (no inline style or script was refused).
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "asset-plots-partitions.png"), fullPage: true });
  });

  it("the history lists every attempt, failed ones too, 25 to a page with older and newer", async () => {
    await page.goto(`${url}#/asset/daily`);
    await page.waitForSelector("table.attempts");
    expect(await page.textContent("main h2:has-text('History')")).toBe("History (43)");
    expect(await page.locator("table.attempts tbody tr").count()).toBe(25);
    expect(await page.textContent(".pager")).toContain("1–25 of 43");
    expect(await page.locator("button[data-page=newer]").isDisabled()).toBe(true);
    const first = await page.locator("table.attempts tbody").textContent();
    await page.click("button[data-page=older]");
    expect(await page.locator("table.attempts tbody tr").count()).toBe(18);
    expect(await page.textContent(".pager")).toContain("26–43 of 43");
    // The failed day is on one of the pages (where depends on the order the run's invocations ended in).
    expect(`${first}${await page.locator("table.attempts tbody").textContent()}`).toMatch(/failed: Error: no data for 2024-01-10/);
    expect(await page.locator("button[data-page=older]").isDisabled()).toBe(true);
    await page.click("button[data-page=newer]");
    expect(await page.locator("table.attempts tbody tr").count()).toBe(25);
  });

  it("the graph: a partitioned node has a health bar of materialized, failed and missing partitions", async () => {
    await page.goto(url);
    await page.waitForSelector('g.node[data-asset="daily"] g.health');
    const bar = page.locator('g.node[data-asset="daily"] g.health');
    expect(await bar.locator("> title").textContent()).toBe("39 materialized · 1 failed · 10 missing of 50");
    expect(await bar.locator("rect.segment").evaluateAll((rs) => rs.map((r) => r.getAttribute("class")))).toEqual(["segment materialized", "segment failed", "segment missing"]);
    const widths = await bar.locator("rect.segment").evaluateAll((rs) => rs.map((r) => Number(r.getAttribute("width"))));
    expect(widths[0]).toBeGreaterThan(widths[2]!);
    expect(widths[2]).toBeGreaterThan(widths[1]!);
    expect(await page.locator('g.node[data-asset="kinds"] g.health').count()).toBe(0);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "asset-graph-health.png"), fullPage: true });
  });

  it("pipes dev --ui: Materialize says running, then the failure with its error, without a reload", async () => {
    const devDir = project();
    const devUrl = await serve(["dev", "--ui"], devDir);
    const live = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await live.goto(`${devUrl}#/asset/boom`);
    await live.waitForSelector("button[data-action=materialize]");
    await live.waitForFunction(() => document.getElementById("live")?.textContent?.includes("live"), undefined, { timeout: 15_000 });
    await live.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    await live.click("button[data-action=materialize]");
    await live.waitForSelector(".action-status[data-phase=running]", { timeout: 30_000 });
    expect(await live.textContent(".action-status")).toMatch(/^● running boom/);
    writeFileSync(join(devDir, "go"), "");
    await live.waitForSelector(".action-status[data-phase=failed]", { timeout: 30_000 });
    const status = (await live.textContent(".action-status")) ?? "";
    expect(status).toMatch(/^✖ boom failed: Error: kaboom-9/);
    expect(status).not.toContain("second line");
    expect(await live.locator(".action-status a[href^='#/runs/']").count()).toBe(1);
    // The page read again behind it: the failure leads, and the status stayed.
    await live.waitForSelector(".failure");
    expect(await live.textContent(".action-status")).toMatch(/^✖ boom failed: Error: kaboom-9/);
    expect(await live.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
    if (SHOTS) await live.screenshot({ path: join(SHOTS, "asset-materialize-failed.png"), fullPage: true });
    await live.close();
  });
});
