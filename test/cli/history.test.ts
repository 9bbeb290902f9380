import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, copyFixture, runPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

function project(env: Record<string, string> = { PIPES_HISTORY: "1" }) {
  const dir = tempDir("pipes-history-");
  copyFixture("partitions", dir);
  const state = join(dir, "state");
  mkdirSync(state);
  const runs = join(dir, ".pipes", "runs");
  return { dir, state, runs, pipes: (args: string[], more: Record<string, string> = {}) => runPipes(args, { cwd: dir, env: { PIPES_FIXTURE_STATE: state, ...env, ...more } }) };
}

describe("run history in .pipes/runs", () => {
  it("pipes runs lists the runs; pipes logs last --json gives back the run's --json events; pipes logs replays the text", async () => {
    const { pipes, runs } = project();
    const run = await pipes(["materialize", "regions", "--all-partitions", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const logged = await pipes(["logs", "last", "--json"]);
    expect(logged.code, logged.stderr).toBe(0);
    expect(logged.stdout).toBe(run.stdout);
    expect(readdirSync(runs)).toHaveLength(1);

    writeFileSync(join(join(runs, "..", ".."), "state", "fail-events-2024-01-02"), "");
    await pipes(["materialize", "events", "daily_totals", "--partition-range", "2024-01-01...2024-01-03"]);
    const listed = await pipes(["runs"]);
    expect(listed.code, listed.stderr).toBe(0);
    const [header, newest, older] = listed.stdout.trimEnd().split("\n");
    expect(header).toMatch(/run +started \(UTC\) +profile +assets +partitions +outcome +duration/);
    expect(newest).toMatch(/✖ [0-9a-f]{8} .* local +events, daily_totals +2024-01-01\.\.\.2024-01-03 +4 ok, 1 failed, 1 skipped +\d+\.\d s/);
    expect(older).toMatch(/✔ [0-9a-f]{8} .* regions +all +3 ok/);
    const json = JSON.parse((await pipes(["runs", "--json"])).stdout) as { runs: Array<{ runId: string; outcome: string; counts: Record<string, number> }> };
    expect(json.runs.map((r) => r.outcome)).toEqual(["failed", "ok"]);

    const text = await pipes(["logs", json.runs[0]!.runId.slice(0, 8), "events", "--partition", "2024-01-02"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/✖ events\[2024-01-02\] +→ record/);
    expect(text.stdout).toContain("asked to fail events 2024-01-02");
    expect(text.stdout).not.toContain("events[2024-01-01]");
    // Its summary speaks of the step shown, not of the whole run.
    expect(text.stdout).toMatch(/\n✖ 1 failed \(events\[2024-01-02\]\)( ·| in)/);
    expect(text.stdout).not.toMatch(/materialized|skipped/);

    const unknown = await pipes(["logs", "deadbeef"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No run "deadbeef"; pipes runs lists the 2 recorded/);
  });

  it("a run killed with SIGKILL leaves a readable partial history; a garbage file is skipped with a warning", async () => {
    const { dir, state, runs, pipes } = project();
    const child = spawn(process.execPath, [BIN, "materialize", "shards", "--all-partitions", "--concurrency", "2"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1", PIPES_HISTORY: "1", PIPES_FIXTURE_STATE: state },
      stdio: "ignore",
    });
    // Listened for from the start: a run that ends before the kill (a loaded machine polls late) must not hang the test.
    const exited = new Promise((r) => child.on("exit", r));
    // Killed once some partitions are done: the handler records each call before it sleeps.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(existsSync(join(state, "calls.ndjson")) && readFileSync(join(state, "calls.ndjson"), "utf8").split("\n").length > 4)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    await exited;
    writeFileSync(join(runs, "00000000T000000Z-garbage.ndjson"), "\u0000\u0001 not json\n{also not\n");

    const listed = await pipes(["runs"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toMatch(/⚠ skipped .*garbage\.ndjson: not a run history file/);
    expect(listed.stdout).toMatch(/… [0-9a-f]{8} .* shards +all +\d+ ok/);
    const logs = await pipes(["logs", "last"]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/shards +█*░* *\d\/8|✔ shards\[s1\]/);
    expect(logs.stderr).toMatch(/has no end: it was stopped before it finished/);

    // What the killed run did not finish is what --retry runs.
    const retry = await pipes(["materialize", "--retry", "last"]);
    expect(retry.code, retry.stderr).toBe(0);
    const status = await pipes(["status", "shards"]);
    expect(status.stderr).toMatch(/skipped .*garbage/);
    expect(status.stdout).toMatch(/shards +8\/8/);
  });

  it("--no-history and PIPES_HISTORY=0 write nothing; a history folder that cannot be written is a warning, not a failure", async () => {
    const a = project({});
    expect((await a.pipes(["materialize", "regions", "--partition", "eu", "--no-history"], { PIPES_HISTORY: "1" })).code).toBe(0);
    expect((await a.pipes(["materialize", "regions", "--partition", "eu"], { PIPES_HISTORY: "0" })).code).toBe(0);
    expect(existsSync(join(a.dir, ".pipes"))).toBe(false);
    const runs = await a.pipes(["runs"]);
    expect(runs.stdout).toMatch(/No runs recorded in \.pipes\/runs yet/);

    const b = project();
    writeFileSync(join(b.dir, ".pipes"), "a file where the folder would be");
    const r = await b.pipes(["materialize", "regions", "--partition", "eu"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/⚠ run history not recorded in \.pipes\/runs/);
  });

  it("--retry keeps the run's profile: another --profile is refused, and asset names with --retry too (exit 2)", async () => {
    const { pipes } = project();
    await pipes(["materialize", "regions", "--partition", "eu"]);
    const profile = await pipes(["materialize", "--retry", "last", "--profile", "other"]);
    expect(profile.code).toBe(2);
    const names = await pipes(["materialize", "regions", "--retry", "last"]);
    expect(names.code).toBe(2);
    expect(names.stderr).toMatch(/--retry runs again what the run ran.*leave out asset names/);
  });
});
