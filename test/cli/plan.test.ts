import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decodeParam } from "../../src/protocol/params.js";
import { copyFixture, FIXTURES, tempProject, type Running, runPipes, startPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

let running: Running | undefined;
afterEach(async () => {
  running?.child.kill("SIGTERM");
  await running?.exited;
  running = undefined;
});

describe("pipes materialize --plan", () => {
  it("invokes nothing, and shows each invocation's event and decoded pipes context, in order", async () => {
    const dir = tempDir("pipes-plan-");
    copyFixture("partitions", dir);
    const state = join(dir, "state");
    mkdirSync(state);
    const env = { PIPES_FIXTURE_STATE: state };
    const args = ["materialize", "+daily_totals", "--partition-range", "2024-01-01...2024-01-02", "--extra", "team=data", "--plan"];
    const text = await runPipes(args, { cwd: dir, env });
    expect(text.code, text.stderr).toBe(0);
    // The fixture's handler records every invocation in the state folder: a plan leaves it empty.
    expect(readdirSync(state)).toEqual([]);
    expect(text.stdout).toMatch(/4 invocations of 2 assets; nothing is invoked/);
    expect(text.stdout).toMatch(/1\. events\[2024-01-01\] +→ record/);
    expect(text.stdout).toMatch(/daily_totals\[2024-01-02\] +→ record +after events\[2024-01-02\]/);
    expect(text.stdout).toMatch(/"partition_time_window": \{\n\s+"start": "2024-01-02T00:00:00\+00:00",\n\s+"end": "2024-01-03T00:00:00\+00:00"/);

    const json = await runPipes([...args, "--json"], { cwd: dir, env });
    expect(json.code).toBe(0);
    const lines = json.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "plan", profile: "local", assets: ["events", "daily_totals"], steps: 4, extras: { team: "data" } });
    const planned = lines.filter((l) => l.type === "planned");
    expect(planned.map((p) => `${p.asset}[${p.partition}]`)).toEqual(["events[2024-01-01]", "events[2024-01-02]", "daily_totals[2024-01-01]", "daily_totals[2024-01-02]"]);
    for (const p of planned) {
      // The event is what would be sent: its context param decodes to the context shown.
      expect((decodeParam(p.event.DAGSTER_PIPES_CONTEXT) as { data: unknown }).data).toEqual(p.context);
      expect(p.event.asset).toBe(p.asset);
      expect(p.context).toMatchObject({ asset_keys: [p.asset], partition_key: p.partition, job_name: "__ASSET_JOB", extras: { team: "data" } });
    }
    expect(planned[3].after).toEqual(["events[2024-01-02]"]);
    expect(existsSync(join(dir, ".pipes"))).toBe(false); // no run, no history
  });

  it("--check-access asks Lambda (DryRun) whether each function exists: a missing one is reported, exit 3", async () => {
    running = startPipes(["emulator", "-f", join(FIXTURES, "orders/defs.ts"), "--port", "0"]);
    const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    const dir = tempProject({
      "defs.ts": `export default {
  assets: { raw: { function: "orders_ingest" }, gone: { function: "not_deployed", deps: ["raw"] } },
  profiles: { remote: { lambda: { endpoint: ${JSON.stringify(url)}, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } } } },
  defaultProfile: "remote",
};\n`,
    });
    const checked = await runPipes(["materialize", "--all", "--plan", "--check-access"], { cwd: dir });
    expect(checked.code, checked.stdout + checked.stderr).toBe(3);
    expect(checked.stdout).toMatch(/✔ orders_ingest/);
    expect(checked.stdout).toMatch(/✖ not_deployed: does not exist on .*profile remote/);
    const json = await runPipes(["materialize", "--all", "--plan", "--check-access", "--json"], { cwd: dir });
    const access = json.stdout.trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.type === "access");
    expect(access.map((a) => [a.functionName, a.ok])).toEqual([["orders_ingest", true], ["not_deployed", false]]);

    const alone = await runPipes(["materialize", "--all", "--check-access"], { cwd: dir });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--check-access goes with --plan/);
  });
});
