// The Materialize buttons of `pipes dev --ui` tell the truth about what they asked for (issue 28): a run that cannot
// start when its turn comes (the definitions changed since the click) says why on the page, naming the asset, and
// the button is free again; a refused click while a run is going leaves that run's status and shows beside it.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, type Running, startPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";
import { chromiumPath, launch } from "./browser.js";

const SHOTS = process.env.PIPES_UI_SCREENSHOTS;

const defs = (assets: string[]) => `export default {
  assets: { ${assets.map((a) => `${a}: { function: "${a}" }`).join(", ")} },
  functions: { ${assets.map((a) => `${a}: { handler: "./fns/${a}.handler", timeout: 120 }`).join(", ")} },
};
`;
/** Runs until the test writes `go`: a run the page sees going while the test clicks. */
const slow = (go: string) => `import { existsSync } from "node:fs";
import { withPipes } from "./pipes-lambda.cjs";
export const handler = withPipes(async () => {
  while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 50));
});
`;
const GONE = `import { withPipes } from "./pipes-lambda.cjs";
export const handler = withPipes(async () => {});
`;

describe.skipIf(!chromiumPath)("pipes dev --ui: what a Materialize button says", () => {
  let browser: Browser;
  let dev: Running;
  let url: string;
  let dir: string;
  let go: string;
  beforeAll(async () => {
    dir = tempDir("pipes-ui-action-");
    writeFileSync(join(dir, "defs.ts"), defs(["slow", "gone"]));
    // Handlers in their own folder and the go file outside the project: a save of defs.ts reloads the definitions
    // (not a restart of the functions whose folder it is in), and go changes nothing watched.
    go = join(tempDir("pipes-ui-action-go-"), "go");
    mkdirSync(join(dir, "fns"));
    writeFileSync(join(dir, "fns", "slow.mjs"), slow(go));
    writeFileSync(join(dir, "fns", "gone.mjs"), GONE);
    copyFileSync(join(FIXTURES, "orders", "handlers", "pipes-lambda.cjs"), join(dir, "fns", "pipes-lambda.cjs"));
    dev = startPipes(["dev", "--ui"], { cwd: dir, env: { PIPES_HISTORY: "1" } });
    const [, base, token] = await dev.waitFor(/UI on (http:\/\/127\.0\.0\.1:\d+\/)\?token=(\S+)/, 30_000);
    url = `${base}?token=${token}`;
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    dev?.child.kill("SIGTERM");
    await dev?.exited;
  });

  it("a refused selection while a run is going: the run's status stays, the refusal is shown beside it", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("live")?.textContent?.includes("live"), undefined, { timeout: 15_000 });
    await page.fill("input[name=selection]", "slow");
    await page.click("button[data-action=materialize-selection]");
    await page.waitForSelector(".action-status[data-phase=running]", { timeout: 30_000 });
    await page.fill("input[name=selection]", "nope");
    await page.click("button[data-action=materialize-selection]");
    await page.waitForSelector(".action-status .action-refusal", { timeout: 15_000 });
    const status = (await page.textContent(".action-status")) ?? "";
    expect(status).toMatch(/^● running slow · run [0-9a-f]{8}/);
    expect(await page.textContent(".action-status .action-refusal")).toMatch(/^ · ✖ Unknown asset "nope"/);
    expect(await page.getAttribute(".action-status", "data-phase")).toBe("running");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "action-refused-beside-running.png") });
    await page.close();
  });

  it("an asset gone from the definitions between the click and its run's turn: its error, naming it, not starting… for ever", async () => {
    // `slow` still runs (the test before started it): the reload this save causes waits behind it, and so does the
    // run the click below asks for, after the reload.
    writeFileSync(join(dir, "defs.ts"), defs(["slow"]));
    // The watcher queues the reload within moments of the save (it settles 60 ms); the click must come after that.
    await new Promise((r) => setTimeout(r, 3000));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${url}#/asset/gone`);
    await page.waitForFunction(() => document.getElementById("live")?.textContent?.includes("live"), undefined, { timeout: 15_000 });
    await page.click("button[data-action=materialize]");
    await page.waitForSelector(".action-status[data-phase=starting]", { timeout: 15_000 });
    writeFileSync(go, "");
    await dev.waitFor(/definitions reloaded \(1 assets\)/, 30_000);
    await page.waitForSelector(".action-status[data-phase=failed]", { timeout: 30_000 });
    // The page read again: the asset is gone, and its button's status says what became of the click.
    await page.waitForSelector("text=No such asset in the definitions file.");
    expect(await page.textContent(".action-status")).toMatch(/^✖ Unknown asset "gone"/);
    expect(await page.locator("button[data-action=materialize]").count()).toBe(0);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "action-asset-gone.png") });
    await page.close();
  });
});
