// One damaged history file never hides the others: each form a user can meet (a second line `null`, a run-end
// without its fields, a directory or a FIFO named *.ndjson, a huge unfinished run, a corrupt line mid-file) leaves
// `pipes runs`, `logs`, `status`, `materialize --retry last` and the page's API working, each with one warning
// naming the file, and all of them agreeing on which run is the last.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, type Running, runPipes, startPipes } from "../helpers/run-pipes.js";
import { uiApi } from "../helpers/ui-api.js";

/** A quarter of it (256 KB) is a run file's cap: small enough for a test to pass it. */
const ENV = { PIPES_HISTORY: "1", PIPES_HISTORY_MAX_MB: "1" };
const LATER = "20991231T000000.000Z"; // named to sort after the good run (and after any retry's run)

let dir: string;
let runs: string;
let goodId: string;
let goodLines: string[];
let ui: Running;
let api: (path: string) => Promise<{ status: number; body: { warnings?: string[]; runs?: Array<{ runId: string }>; events?: unknown[] } }>;

const pipes = (args: string[]) => runPipes(args, { cwd: dir, env: { ...ENV, PIPES_FIXTURE_STATE: join(dir, "state") } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pipes-damaged-"));
  copyFixture("partitions", dir);
  mkdirSync(join(dir, "state"));
  runs = join(dir, ".pipes", "runs");
  const good = await pipes(["materialize", "regions", "--partition", "eu"]);
  expect(good.code, good.stderr).toBe(0);
  const [file] = readdirSync(runs).filter((f) => f.endsWith(".ndjson"));
  goodLines = readFileSync(join(runs, file!), "utf8").trimEnd().split("\n");
  goodId = JSON.parse(goodLines[0]!).runId;
  ui = startPipes(["ui", "--port", "0"], { cwd: dir, env: ENV });
  const [, url, token] = await ui.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+\/)(?:\?token=(\S+))?/, 30_000);
  api = uiApi(url!, token);
}, 60_000);

afterAll(async () => {
  ui?.child.kill("SIGINT");
  await ui?.exited;
  rmSync(dir, { recursive: true, force: true });
});

/** The good run as another run (its own id), newer, with `edit` applied to its lines. */
function copyOfGood(id: string, edit: (lines: string[]) => string[]): string {
  const lines = goodLines.map((line) => line.replaceAll(goodId, id));
  const name = `${LATER}-${id}.ndjson`;
  writeFileSync(join(runs, name), `${edit(lines).join("\n")}\n`, { mode: 0o600 });
  return name;
}

/** Every history command and the page's API, with `name` in place: each says one warning naming it. */
async function everyReaderWorks(name: string, lastRun: string): Promise<void> {
  const mentions = (stderr: string) => stderr.split("\n").filter((l) => l.includes(name));

  const listed = await pipes(["runs", "--json"]);
  expect(listed.code, listed.stderr).toBe(0);
  expect(mentions(listed.stderr), listed.stderr).toHaveLength(1);
  expect(listed.stderr).not.toMatch(/crashed|TypeError/);
  expect(JSON.parse(listed.stdout).runs[0].runId).toBe(lastRun);

  const logs = await pipes(["logs", "last", "--json"]);
  expect(logs.code, logs.stderr).toBe(0);
  expect(mentions(logs.stderr), logs.stderr).toHaveLength(1);
  expect(JSON.parse(logs.stdout.split("\n")[0]!).runId).toBe(lastRun);

  const status = await pipes(["status", "--json"]);
  expect(status.code, status.stderr).toBe(0);
  expect(mentions(status.stderr), status.stderr).toHaveLength(1);
  expect(JSON.parse(status.stdout).assets.find((a: { asset: string }) => a.asset === "regions").partitions.materialized).toBe(1);

  // The run `runs` lists first is the one --retry last takes: a finished one had nothing left to run; an
  // unfinished one is retried (its retry runs no step: each materialized), and its record says which it retried.
  const before = new Set(readdirSync(runs));
  const retry = await pipes(["materialize", "--retry", "last"]);
  expect(retry.code, retry.stderr).toBe(0);
  expect(mentions(retry.stderr), retry.stderr).toHaveLength(1);
  const made = readdirSync(runs).filter((f) => !before.has(f));
  if (made.length === 0) expect(retry.stderr).toContain(`every step of run ${lastRun.slice(0, 8)} materialized`);
  else {
    expect(JSON.parse(readFileSync(join(runs, made.find((f) => f.endsWith(".ndjson"))!), "utf8").split("\n")[0]!).retryOf).toBe(lastRun);
    for (const f of made) rmSync(join(runs, f));
  }

  for (const path of ["api/defs", "api/runs", "api/runs/last/events", "api/assets/regions/history"]) {
    const answer = await api(path);
    expect(answer.status, path).toBe(200);
    expect(answer.body.warnings!.filter((w) => w.includes(name)), path).toHaveLength(1);
  }
  expect((await api("api/runs")).body.runs![0]!.runId).toBe(lastRun);
}

describe("one damaged history file never breaks the history commands", () => {
  it("a run whose second line is null: the line is skipped, the run is read", async () => {
    const name = copyOfGood("aaaaaaaa-null", (lines) => [lines[0]!, "null", ...lines.slice(1)]);
    await everyReaderWorks(name, "aaaaaaaa-null");
    rmSync(join(runs, name));
  }, 120_000);

  it("a run whose last line is a bare run-end: skipped, the run is read as unfinished", async () => {
    const name = copyOfGood("bbbbbbbb-end", (lines) => [...lines.slice(0, -1), '{"type":"run-end"}']);
    const listed = JSON.parse((await pipes(["runs", "--json"])).stdout);
    expect(listed.runs[0]).toMatchObject({ runId: "bbbbbbbb-end", outcome: "unfinished" });
    await everyReaderWorks(name, "bbbbbbbb-end");
    rmSync(join(runs, name));
  }, 120_000);

  it("a corrupt line mid-file: runs, logs, status and --retry all read the run, so --retry last is the run runs lists first", async () => {
    const name = copyOfGood("cccccccc-mid", (lines) => [...lines.slice(0, 2), "{not json", ...lines.slice(2)]);
    await everyReaderWorks(name, "cccccccc-mid");
    rmSync(join(runs, name));
  }, 120_000);

  it("a directory named *.ndjson is skipped", async () => {
    const name = `${LATER}-dddddddd-dir.ndjson`;
    mkdirSync(join(runs, name));
    await everyReaderWorks(name, goodId);
    rmSync(join(runs, name), { recursive: true });
  }, 120_000);

  it("a FIFO named *.ndjson is skipped, never read: nothing hangs, the page's server stays answering", async () => {
    const name = `${LATER}-eeeeeeee-fifo.ndjson`;
    execFileSync("mkfifo", [join(runs, name)]);
    await everyReaderWorks(name, goodId);
    rmSync(join(runs, name));
  }, 120_000);

  it("a huge unfinished run: read in a stream, its log lines past the cap left out with a warning", async () => {
    const id = "ffffffff-huge";
    const log = (i: number) => JSON.stringify({ type: "log", asset: "regions", partition: "eu", level: "INFO", message: `line ${i} ${"x".repeat(200)}` });
    // 4 MB of logs (16 times a run file's cap under PIPES_HISTORY_MAX_MB=1), then the good run's steps, no run-end.
    const name = copyOfGood(id, (lines) => [lines[0]!, ...Array.from({ length: 18_000 }, (_, i) => log(i)), ...lines.slice(1, -1)]);
    const logs = await pipes(["logs", "last"]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stderr).toMatch(new RegExp(`${name}: larger than 256 KB: left out \\d+ log lines past it`));
    expect(logs.stdout).toContain("line 0 ");
    expect(logs.stdout).not.toContain("line 17999 ");
    expect(logs.stdout).toMatch(/✔ regions\[eu\]/);
    const listed = JSON.parse((await pipes(["runs", "--json"])).stdout);
    expect(listed.runs[0]).toMatchObject({ runId: id, outcome: "unfinished", counts: { materialized: 1 } });
    await everyReaderWorks(name, id);
    rmSync(join(runs, name));
  }, 120_000);
});
