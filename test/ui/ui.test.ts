import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { basename, dirname, join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, type Running, runPipes, startPipes } from "../helpers/run-pipes.js";
import { chromiumPath, launch } from "./browser.js";
import { tempDir } from "../helpers/temp.js";

const HISTORY = { PIPES_HISTORY: "1" };
const SHOTS = process.env.PIPES_UI_SCREENSHOTS;

/** The orders example in a folder of its own (its handler libraries copied, not linked), with history on. */
function ordersProject(): string {
  const dir = tempDir("pipes-ui-");
  copyFixture("orders", dir);
  return dir;
}

let running: Running[] = [];
afterEach(async () => {
  for (const r of running) r.child.kill("SIGTERM");
  await Promise.all(running.map((r) => r.exited));
  running = [];
});

async function serve(args: string[], cwd: string): Promise<{ url: string; token: string | null; process: Running }> {
  const r = startPipes(args, { cwd, env: HISTORY });
  running.push(r);
  const [, url, token] = await r.waitFor(/(?:Ready|UI) on (http:\/\/127\.0\.0\.1:\d+\/)(?:\?token=(\S+))?/, 30_000);
  return { url: url!, token: token ?? null, process: r };
}

/** A raw HTTP request, with the headers a browser would not let a page choose. */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("pipes ui: the server", () => {
  it("refuses a foreign Host (DNS rebinding) and a foreign Origin; runs need the token; pipes ui runs nothing", async () => {
    const dir = ordersProject();
    const ui = await serve(["ui", "--port", "0"], dir);
    const token = { "X-Pipes-Token": ui.token! };
    expect((await raw(`${ui.url}api/defs`, { headers: token })).status).toBe(200);
    const port = new URL(ui.url).port;
    expect((await raw(`${ui.url}api/defs`, { headers: { ...token, Host: `attacker.example:${port}` } })).status).toBe(403);
    expect((await raw(`${ui.url}api/runs`, { headers: { ...token, Origin: "http://attacker.example" } })).status).toBe(403);
    expect((await raw(`${ui.url}api/runs`, { headers: { ...token, Origin: `http://127.0.0.1:${port}` } })).status).toBe(200);
    const post = await raw(`${ui.url}api/materialize`, { method: "POST", headers: { ...token, "Content-Type": "application/json" }, body: '{"assets":["raw_orders"]}' });
    expect(post.status).toBe(404); // pipes ui only shows

    // Started from the project's parent: the page names the definitions file as the terminal does, from there.
    const dev = await serve(["dev", "--ui", "-f", `${basename(dir)}/defs.ts`], dirname(dir));
    const body = '{"assets":["raw_orders"]}';
    expect((await raw(`${dev.url}api/materialize`, { method: "POST", body })).status).toBe(403);
    expect((await raw(`${dev.url}api/materialize`, { method: "POST", body, headers: { "X-Pipes-Token": "wrong" } })).status).toBe(403);
    const foreign = await raw(`${dev.url}api/materialize`, { method: "POST", body, headers: { "X-Pipes-Token": dev.token!, Origin: "http://attacker.example" } });
    expect(foreign.status).toBe(403);
    const unknown = await raw(`${dev.url}api/materialize`, { method: "POST", body: '{"assets":["nope"]}', headers: { "X-Pipes-Token": dev.token! } });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body).error).toMatch(new RegExp(`^Unknown asset "nope" in ${basename(dir)}/defs\\.ts\\.`));
    // A field it does not take is refused, not dropped (before: 202, the run started without the partition).
    const extra = await raw(`${dev.url}api/materialize`, { method: "POST", body: '{"assets":["raw_orders"],"partition":"x"}', headers: { "X-Pipes-Token": dev.token! } });
    expect(extra.status).toBe(400);
    expect(JSON.parse(extra.body).error).toMatch(/^unknown field "partition": this takes \{"assets": \[\.\.\.\]\} only/);
  });

  it("a missing or broken history is an empty list with a warning; a client that leaves mid-stream does not hurt the server", async () => {
    const dir = ordersProject();
    const ui = await serve(["ui", "--port", "0"], dir);
    const token = { "X-Pipes-Token": ui.token! };
    expect(JSON.parse((await raw(`${ui.url}api/runs`, { headers: token })).body)).toEqual({ runs: [], warnings: [] });
    mkdirSync(join(dir, ".pipes", "runs"), { recursive: true });
    writeFileSync(join(dir, ".pipes", "runs", "20240101T000000.000Z-garbage.ndjson"), "\u0000 not json\n{nor this\n");
    const runs = JSON.parse((await raw(`${ui.url}api/runs`, { headers: token })).body);
    expect(runs.runs).toEqual([]);
    expect(runs.warnings[0]).toMatch(/skipped .*garbage\.ndjson: not a run history file/);
    expect((await raw(`${ui.url}api/runs/nope/events`, { headers: token })).status).toBe(404);

    // Started from the project's parent: the page names the definitions file as the terminal does, from there.
    const dev = await serve(["dev", "--ui", "-f", `${basename(dir)}/defs.ts`], dirname(dir));
    await new Promise<void>((resolve) => {
      const req = request(`${dev.url}api/live?token=${dev.token}`, (res) => {
        res.once("data", () => {
          req.destroy(); // gone mid-stream
          resolve();
        });
      });
      req.end();
    });
    expect((await raw(`${dev.url}api/defs`, { headers: { "X-Pipes-Token": dev.token! } })).status).toBe(200);
  });
});

describe("pipes ui: the history is its owner's", () => {
  it("every API read needs the token printed with the URL (the live stream too); .pipes/ is 0700, run files 0600", async () => {
    const dir = ordersProject();
    // A .pipes/ made open by an older pipes is made the owner's at the next run.
    mkdirSync(join(dir, ".pipes"), { mode: 0o755 });
    chmodSync(join(dir, ".pipes"), 0o755);
    expect((await runPipes(["materialize", "raw_orders"], { cwd: dir, env: HISTORY })).code).toBe(0);
    expect(statSync(join(dir, ".pipes")).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, ".pipes", "runs")).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(join(dir, ".pipes", "runs"))) expect(statSync(join(dir, ".pipes", "runs", file)).mode & 0o777).toBe(0o600);

    const ui = await serve(["ui", "--port", "0"], dir);
    expect(ui.token).toMatch(/^[\w-]{20,}$/); // printed with the URL
    for (const path of ["api/defs", "api/runs", "api/runs/last/events", "api/assets/raw_orders/history"]) {
      const none = await raw(`${ui.url}${path}`, {});
      expect(none.status, path).toBe(403);
      expect(JSON.parse(none.body).error).toMatch(/needs the token printed with the URL/);
      expect(none.body).not.toContain("fetching orders");
      expect((await raw(`${ui.url}${path}`, { headers: { "X-Pipes-Token": "x".repeat(ui.token!.length) } })).status, path).toBe(403);
      expect((await raw(`${ui.url}${path}?token=${ui.token}`, {})).status, path).toBe(403); // only the live stream takes it so
      expect((await raw(`${ui.url}${path}`, { headers: { "X-Pipes-Token": ui.token! } })).status, path).toBe(200);
    }
    expect((await raw(`${ui.url}api/runs/last/events`, { headers: { "X-Pipes-Token": ui.token! } })).body).toContain("fetching orders");
    // The page itself holds nothing: it loads, and reads with the token it was opened with.
    expect((await raw(ui.url, {})).status).toBe(200);

    // Started from the project's parent: the page names the definitions file as the terminal does, from there.
    const dev = await serve(["dev", "--ui", "-f", `${basename(dir)}/defs.ts`], dirname(dir));
    expect((await raw(`${dev.url}api/live`, {})).status).toBe(403);
    expect((await raw(`${dev.url}api/live?token=wrong`, {})).status).toBe(403);
  });

  it("a malformed percent-escape (%ZZ) in a path is 400 with a message naming it, never a 500", async () => {
    const ui = await serve(["ui", "--port", "0"], ordersProject());
    for (const path of ["api/assets/%ZZ/history", "api/runs/%ZZ/events", "api/assets/a%E0%A4%A/history"]) {
      const answer = await raw(`${ui.url}${path}`, { headers: { "X-Pipes-Token": ui.token! } });
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.body).error, path).toMatch(/malformed percent-escape/);
    }
    expect((await raw(`${ui.url}api/runs`, { headers: { "X-Pipes-Token": ui.token! } })).status).toBe(200);
  });

  it("serves the page and its API with a strict Content Security Policy", async () => {
    const ui = await serve(["ui", "--port", "0"], ordersProject());
    for (const [path, headers] of [["", {}], ["app.js", {}], ["api/runs", { "X-Pipes-Token": ui.token! }]] as const) {
      const answer = await rawHeaders(`${ui.url}${path}`, headers);
      expect(answer.status, path).toBe(200);
      const policy = String(answer.headers["content-security-policy"]);
      for (const rule of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"]) expect(policy, path).toContain(rule);
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
    }
  });
});

/** The status and headers of a GET. */
function rawHeaders(url: string, headers: Record<string, string>): Promise<{ status: number; headers: import("node:http").IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.skipIf(!chromiumPath)("pipes ui in a real Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("after two runs: the graph has every asset and edge, a run's timeline a bar per invocation, a table renders as a table, a plot a point per run", async () => {
    const dir = ordersProject();
    for (let i = 0; i < 2; i++) expect((await runPipes(["materialize", "--all"], { cwd: dir, env: HISTORY })).code).toBe(0);
    const ui = await serve(["ui", "--port", "0"], dir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${ui.url}?token=${ui.token}`);
    await page.waitForSelector("svg.graph g.node");
    expect(await page.locator("g.node").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-asset")))).toEqual(["raw_orders", "clean_orders", "orders_summary", "daily_report"]);
    expect(await page.locator("path.edge").evaluateAll((edges) => edges.map((e) => `${e.getAttribute("data-from")}→${e.getAttribute("data-to")}`))).toEqual(["raw_orders→clean_orders", "clean_orders→orders_summary", "orders_summary→daily_report"]);
    expect(await page.locator('g.node[data-asset="raw_orders"]').getAttribute("class")).toContain("materialized");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "assets.png"), fullPage: true });

    await page.click('g.node[data-asset="raw_orders"]');
    await page.waitForSelector('.chart[data-metadata="row_count"] canvas');
    expect(await page.getAttribute('.chart[data-metadata="row_count"]', "data-points")).toBe("2");
    const table = page.locator("table.metadata-table");
    expect(await table.locator("th").allTextContents()).toEqual(["id", "amount", "currency"]);
    expect(await table.locator("tbody tr").count()).toBe(3);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "asset.png"), fullPage: true });

    await page.goto(`${ui.url}#/runs`);
    // The asset page (with run links of its own) stays until the runs page has rendered.
    await page.waitForSelector("main h1:text('Runs')");
    await page.waitForSelector("a[href^='#/runs/']");
    expect(await page.locator("tbody tr").count()).toBe(2);
    // A run made beside the page shows in it by itself.
    expect((await runPipes(["materialize", "raw_orders"], { cwd: dir, env: HISTORY })).code).toBe(0);
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 3, undefined, { timeout: 15_000 });
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "runs.png"), fullPage: true });
    await page.locator("a[href^='#/runs/']").nth(1).click(); // the second newest: a run of all four
    await page.waitForSelector("svg.timeline rect.bar");
    expect(await page.locator("rect.bar").count()).toBe(4);
    expect(await page.locator("rect.bar.cold").count()).toBeGreaterThan(0); // a fresh emulator per run: cold starts
    await page.locator('rect.bar[data-step="raw_orders"]').click();
    expect(await page.locator('details[data-step="raw_orders"]').getAttribute("open")).not.toBeNull();
    expect(await page.locator('details[data-step="raw_orders"] pre').textContent()).toMatch(/fetching orders for 2024-01-01/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "run.png"), fullPage: true });
    expect(errors).toEqual([]);

    // The Content Security Policy holds: a script put into the page (as an injection would) never runs.
    const injected = await page.evaluate(async () => {
      const violated = new Promise<string>((resolve) => document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective), { once: true }));
      const script = document.createElement("script");
      script.textContent = "window.injected = 1";
      document.body.append(script);
      return { ran: (window as unknown as { injected?: number }).injected ?? null, violated: await Promise.race([violated, new Promise((r) => setTimeout(() => r("none"), 2000))]) };
    });
    expect(injected).toEqual({ ran: null, violated: expect.stringMatching(/^script-src/) });
  });

  it("opened without its token, the page says to open it from the printed URL", async () => {
    const ui = await serve(["ui", "--port", "0"], ordersProject());
    const page = await browser.newPage();
    await page.goto(`${ui.url}#/runs`);
    await page.waitForSelector("main .warnings");
    expect(await page.textContent("main")).toMatch(/needs its token: open it from the URL pipes printed/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "no-token.png"), fullPage: true });
  });

  it("a partitioned asset's grid shows each partition materialized, failed or missing; an asset's checks have their history", async () => {
    const dir = tempDir("pipes-ui-grid-");
    copyFixture("partitions", dir);
    const state = join(dir, "state");
    mkdirSync(state);
    writeFileSync(join(state, "fail-events-2024-01-03"), "");
    const env = { ...HISTORY, PIPES_FIXTURE_STATE: state };
    expect((await runPipes(["materialize", "events", "--partition-range", "2024-01-01...2024-01-05"], { cwd: dir, env })).code).toBe(1);
    const ui = await serve(["ui", "--port", "0"], dir);
    const page = await browser.newPage();
    await page.goto(`${ui.url}?token=${ui.token}#/asset/events`);
    await page.waitForSelector(".grid .cell");
    const cells = await page.locator(".grid .cell").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-partition")}:${e.getAttribute("data-state")}`));
    expect(cells).toEqual([
      "2024-01-01:materialized",
      "2024-01-02:materialized",
      "2024-01-03:failed",
      "2024-01-04:materialized",
      "2024-01-05:materialized",
      ...["06", "07", "08", "09", "10"].map((d) => `2024-01-${d}:missing`),
    ]);
    expect(await page.textContent("main")).toContain("4/10 materialized");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "partitions.png"), fullPage: true });

    // A retry (which fails again: the day still fails) is labelled with the run it retries, in the list and on its page
    expect((await runPipes(["materialize", "--retry", "last"], { cwd: dir, env })).code).toBe(1);
    await page.goto(`${ui.url}?token=${ui.token}#/runs`);
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 2, undefined, { timeout: 15_000 });
    const firstRun = await page.locator("tbody tr").nth(1).locator("a[href^='#/runs/']").first().textContent();
    expect(await page.locator("tbody tr").first().textContent()).toContain(`retry of ${firstRun}`);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "runs-retry.png"), fullPage: true });
    await page.locator("tbody tr").first().locator("a[href^='#/runs/']").first().click();
    await page.waitForSelector("main p.muted a[href^='#/runs/']");
    expect(await page.textContent("main")).toContain(`A retry of run ${firstRun}`);

    const checks = tempDir("pipes-ui-checks-");
    copyFixture("checks", checks);
    expect((await runPipes(["materialize", "--all"], { cwd: checks, env: HISTORY })).code).toBe(0);
    expect((await runPipes(["materialize", "--all", "--extra", "fail=typed"], { cwd: checks, env: HISTORY })).code).toBe(1);
    const checksUi = await serve(["ui", "--port", "0"], checks);
    await page.goto(`${checksUi.url}?token=${checksUi.token}#/asset/orders`);
    await page.waitForSelector("h2:text('Checks')");
    const rows = await page.locator("h2:text('Checks') + table tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].slice(2).map((td) => td.textContent).join(" ")));
    expect(rows).toEqual(["typed failed (ERROR)", "fresh passed", "not_empty passed", "typed passed", "fresh passed", "not_empty passed"]);
  });

  it("a missing history, then a broken one, shows an empty state with the warning, never a blank page", async () => {
    const dir = ordersProject();
    const ui = await serve(["ui", "--port", "0"], dir);
    const page = await browser.newPage();
    await page.goto(`${ui.url}?token=${ui.token}#/runs`);
    await page.waitForSelector("main h1:text('Runs')"); // not the "Loading…" the page starts with
    expect(await page.textContent("main")).toContain("No runs recorded yet");
    mkdirSync(join(dir, ".pipes", "runs"), { recursive: true });
    writeFileSync(join(dir, ".pipes", "runs", "20240101T000000.000Z-garbage.ndjson"), "not json at all\n{\n");
    await page.reload();
    await page.waitForSelector("main .warnings");
    expect(await page.textContent("main .warnings")).toMatch(/garbage\.ndjson: not a run history file/);
    expect(await page.textContent("main")).toContain("No runs recorded yet");
    await page.goto(`${ui.url}#/asset/raw_orders`);
    await page.waitForSelector("main h1:text('raw_orders')");
    expect(await page.textContent("main")).toContain("Not materialized in any recorded run yet.");
  });

  it("a throttled backfill's timeline: a bar per invocation on lanes as they overlapped, throttle retries marked", async () => {
    const dir = tempDir("pipes-ui-shards-");
    copyFixture("partitions", dir);
    const run = await runPipes(["materialize", "shards", "--all-partitions", "--concurrency", "8"], { cwd: dir, env: HISTORY });
    expect(run.code, run.stdout).toBe(0);
    const ui = await serve(["ui", "--port", "0"], dir);
    const page = await browser.newPage();
    await page.goto(`${ui.url}?token=${ui.token}#/runs`);
    await page.locator("a[href^='#/runs/']").first().click();
    await page.waitForSelector("svg.timeline rect.bar");
    expect(await page.locator("rect.bar").count()).toBe(8);
    const lanes = Number(await page.getAttribute("svg.timeline", "data-lanes"));
    expect(lanes).toBeGreaterThan(1);
    expect(lanes).toBeLessThanOrEqual(8);
    expect(await page.locator("svg.timeline text", { hasText: "↻" }).count()).toBeGreaterThan(0);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "backfill-run.png"), fullPage: true });
  });

  it("shows what a function logged as text: HTML in a log line never runs or renders", async () => {
    const dir = tempDir("pipes-ui-html-");
    writeFileSync(join(dir, "defs.ts"), 'export default { assets: { html: { function: "html" } }, functions: { html: { handler: "./h.handler" } } };\n');
    writeFileSync(join(dir, "h.mjs"), "export const handler = async () => { console.log('<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\"><b>bold</b>'); return null; };\n");
    expect((await runPipes(["materialize", "--all"], { cwd: dir, env: HISTORY })).code).toBe(0);
    const ui = await serve(["ui", "--port", "0"], dir);
    const page = await browser.newPage();
    await page.goto(`${ui.url}?token=${ui.token}#/runs`);
    await page.locator("a[href^='#/runs/']").first().click();
    await page.waitForSelector('details[data-step="html"]');
    await page.locator('details[data-step="html"] summary').click();
    const text = await page.locator('details[data-step="html"] pre').textContent();
    expect(text).toContain('<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"><b>bold</b>');
    expect(await page.locator('details[data-step="html"] pre img, details[data-step="html"] pre b, main script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it("pipes dev --ui: Materialize runs the asset and the page updates without a reload", async () => {
    const dir = ordersProject();
    // Started from the project's parent: the page names the definitions file as the terminal does, from there.
    const dev = await serve(["dev", "--ui", "-f", `${basename(dir)}/defs.ts`], dirname(dir));
    const page = await browser.newPage();
    await page.goto(`${dev.url}?token=${dev.token}#/asset/raw_orders`);
    await page.waitForSelector("button[data-action=materialize]");
    expect(await page.textContent("main")).toContain("Not materialized in any recorded run yet.");
    expect(page.url()).not.toContain("token="); // taken out of the address bar
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.click("button[data-action=materialize]");
    await page.waitForSelector("table tbody tr", { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42); // same page, not reloaded
    expect(await page.textContent("#live")).toMatch(/live/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "dev-asset.png"), fullPage: true });
    expect(dev.process.output()).toMatch(/✔ raw_orders/); // it ran in the dev loop, as a typed run would

    // A selection, as materialize takes it, from the assets page: the graph's statuses follow the run.
    await page.click('header nav a[href="#/"]');
    await page.waitForSelector('g.node[data-asset="clean_orders"].never');
    await page.fill("input[name=selection]", "+clean_orders");
    await page.click("button[data-action=materialize-selection]");
    await page.waitForSelector('g.node[data-asset="clean_orders"].materialized', { timeout: 30_000 });
    expect(await page.locator('g.node[data-asset="orders_summary"]').getAttribute("class")).toContain("never");
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });
});
