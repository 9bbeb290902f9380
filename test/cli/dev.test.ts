import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { alive, waitUntil, workerPids } from "../helpers/emulator.js";
import { BIN, copyFixture, ROOT, type Running, startPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const execFileAsync = promisify(execFile);

let dev: Running | undefined;

afterEach(() => {
  dev?.child.kill("SIGKILL");
  dev = undefined;
});

/** Waits for `pattern` in what the session printed after `from` (an offset into its output). */
async function expectNext(pattern: RegExp, from: number): Promise<string> {
  await waitUntil(() => pattern.test(dev!.output().slice(from)), 20_000).catch(() => {
    throw new Error(`no ${pattern} in:\n${dev!.output().slice(from)}`);
  });
  return dev!.output().slice(from);
}

function send(line: string): number {
  const mark = dev!.output().length;
  dev!.child.stdin.write(`${line}\n`);
  return mark;
}

describe("pipes dev, driven through stdin", () => {
  it("runs, picks up a handler edit, survives a broken defs file, reloads the fixed one, and quits cleanly", async () => {
    const project = tempDir("pipes-dev-");
    copyFixture("orders", project);
    const defsFile = join(project, "defs.ts");
    const handler = join(project, "handlers/ingest.mjs");
    dev = startPipes(["dev", "-f", defsFile], { cwd: project });
    await dev.waitFor(/watching \. for changes/);
    expect(dev.output()).toMatch(/raw_orders {6}→ orders_ingest/);
    expect(dev.output()).toContain("a ⏎ materialize all");

    let mark = send("materialize raw_orders");
    let out = await expectNext(/✔ 1 materialized/, mark);
    expect(out).toMatch(/── run 1 · raw_orders/);
    expect(out).toContain("INFO     fetching orders for 2024-01-01");
    const workers = workerPids(dev.child.pid!);
    expect(workers.length).toBeGreaterThan(0);

    // Edit the handler: its function restarts, and the next run shows the new code.
    mark = dev.output().length;
    writeFileSync(handler, readFileSync(handler, "utf8").replace("fetching orders", "FETCHING orders"));
    await expectNext(/handlers\/ingest\.mjs changed: restarted orders_ingest/, mark);
    mark = send("r");
    out = await expectNext(/✔ 1 materialized/, mark);
    expect(out).toContain("INFO     FETCHING orders for 2024-01-01");
    expect(out).toMatch(/── run 2 · raw_orders/);

    // Break the defs file: the error shows, the session lives on with the last good definitions.
    const good = readFileSync(defsFile, "utf8");
    mark = dev.output().length;
    writeFileSync(defsFile, good.replace("assets: {", "assets: {{"));
    out = await expectNext(/keeping the last good definitions/, mark);
    expect(out).toMatch(/defs\.ts changed, and the definitions no longer load:\n.*defs\.ts:\d+:\d+: syntax error/);
    mark = send("materialize clean_orders");
    await expectNext(/✔ clean_orders/, mark);
    mark = send("nope");
    await expectNext(/Unknown asset "nope"/, mark);

    // Fix it: the new definitions are used.
    mark = dev.output().length;
    writeFileSync(defsFile, good.replace("Pull the day's orders from the shop API", "Pull orders, version two"));
    await expectNext(/definitions reloaded \(4 assets\)/, mark);
    mark = send("l");
    await expectNext(/Pull orders, version two/, mark);

    mark = send("quit");
    const { code } = await dev.exited;
    expect(code).toBe(2); // a scripted session with an invalid command ("nope") says so
    expect(dev.output().slice(mark)).toContain("pipes dev stopped.");
    expect(workers.filter(alive)).toEqual([]);
  });

  it("with --watch-run re-runs the last selection after a change; end of stdin ends the session", async () => {
    const project = tempDir("pipes-dev-");
    copyFixture("orders", project);
    dev = startPipes(["dev", "-f", join(project, "defs.ts"), "--watch-run"], { cwd: project });
    await dev.waitFor(/watching/);
    let mark = send("raw_orders");
    await expectNext(/── run 1 · raw_orders[\s\S]*✔ 1 materialized/, mark);
    mark = dev.output().length;
    const handler = join(project, "handlers/ingest.mjs");
    writeFileSync(handler, readFileSync(handler, "utf8").replace("fetching orders", "fetching ORDERS"));
    const out = await expectNext(/── run 2 · raw_orders[\s\S]*✔ 1 materialized/, mark);
    expect(out).toContain("fetching ORDERS");
    dev.child.stdin.end();
    expect((await dev.exited).code).toBe(0);
  });

  it("sees files an editor replaces by rename (mv tmp file), every time, for a handler and for the defs file", async () => {
    const project = tempDir("pipes-dev-");
    copyFixture("orders", project);
    const defsFile = join(project, "defs.ts");
    const handler = join(project, "handlers/ingest.mjs");
    const replace = (file: string, from: string, to: string) => {
      const tmp = `${file}.pipes-test-tmp`;
      writeFileSync(tmp, readFileSync(file, "utf8").replace(from, to));
      renameSync(tmp, file); // a new inode under the old name, as vim's backupcopy or JetBrains' safe write leave it
    };
    dev = startPipes(["dev", "-f", defsFile], { cwd: project });
    await dev.waitFor(/watching/);
    let previous = "fetching orders";
    for (const word of ["FIRST", "SECOND"]) {
      let mark = dev.output().length;
      replace(handler, previous, `${word} orders`);
      previous = `${word} orders`;
      await expectNext(/handlers\/ingest\.mjs changed: restarted orders_ingest/, mark);
      mark = send("raw_orders");
      expect(await expectNext(/✔ 1 materialized/, mark)).toContain(`INFO     ${word} orders for 2024-01-01`);
    }
    let description = "Pull the day's orders from the shop API";
    for (const word of ["one", "two"]) {
      const mark = dev.output().length;
      replace(defsFile, description, `Orders, renamed ${word}`);
      description = `Orders, renamed ${word}`;
      await expectNext(/defs\.ts changed: definitions reloaded/, mark);
      await expectNext(new RegExp(`Orders, renamed ${word}`), send("l"));
    }
    // Editors' own temp files cause no reload notice.
    const mark = dev.output().length;
    writeFileSync(join(project, "handlers/.ingest.mjs.swp"), "x");
    writeFileSync(join(project, "handlers/4913"), "x");
    await new Promise((r) => setTimeout(r, 400));
    expect(dev.output().slice(mark)).not.toContain("changed");
    send("quit");
    expect((await dev.exited).code).toBe(0);
  });

  it("on a terminal, a change notice takes the prompt's line and the prompt comes back below it, with what was typed", async () => {
    const project = tempDir("pipes-dev-");
    copyFixture("orders", project);
    const spec = {
      command: [process.execPath, BIN, "dev", "-f", join(project, "defs.ts")],
      steps: [{ until: "pipes \u203a " }, { type: "raw_or" }, { wait: 0.3 }, { append: [join(project, "handlers/ingest.mjs"), "\n// touched\n"] }, { until: "changed: restarted", timeout: 10 }, { wait: 0.5 }],
    };
    // A person at a terminal: not CI (which makes the output plain, without a prompt).
    const { CI: _ci, GITHUB_ACTIONS: _gha, ...env } = process.env;
    const { stdout } = await execFileAsync("python3", [join(ROOT, "test/helpers/pty-run.py"), JSON.stringify(spec)], { env: { ...env, NO_COLOR: "1" } });
    const output: string = JSON.parse(stdout).output;
    const notice = output.indexOf("ingest.mjs changed: restarted");
    expect(notice).toBeGreaterThan(0);
    // The prompt's line is cleared before the notice, never written after "pipes › raw_or" on the same line.
    const line = output.slice(0, notice).split("\n").at(-1)!;
    expect(line).toContain("\r\x1b[K");
    expect(line.slice(line.lastIndexOf("\x1b[K"))).not.toContain("raw_or");
    // Below it the prompt again, with the typed text kept.
    expect(output.slice(notice)).toMatch(/\n[^\n]*pipes › raw_or/);
  });

  it("refuses to start on a defs file with errors, exit 2", async () => {
    const project = tempDir("pipes-dev-");
    writeFileSync(join(project, "defs.ts"), "export default { assets: { a: { deps: ['b'], function: 'f' } } };");
    dev = startPipes(["dev"], { cwd: project });
    const { code } = await dev.exited;
    expect(code).toBe(2);
    expect(dev.output()).toContain('depends on "b", which is not an asset');
  });
});
