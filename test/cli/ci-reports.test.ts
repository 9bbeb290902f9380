import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, runPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const CHECKS = join(FIXTURES, "checks", "defs.ts");
const HOSTILE = join(FIXTURES, "checks", "hostile.ts");
const temp = () => tempDir("pipes-ci-");

/** JUnit XML read by a real, strict XML parser (Python's ElementTree): what a CI system would see. */
function parseJunit(file: string) {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
print(json.dumps({"root": root.tag, "attrib": root.attrib, "suites": [
  {"attrib": s.attrib, "cases": [
    {"name": c.get("name"), "classname": c.get("classname"), "time": c.get("time"),
     "children": [{"tag": x.tag, "message": x.get("message"), "type": x.get("type"), "text": x.text} for x in c]}
    for c in s.iter("testcase")]}
  for s in root.iter("testsuite")]}))`;
  const result = spawnSync("python3", ["-c", script, file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`not well-formed XML: ${result.stderr}`);
  return JSON.parse(result.stdout) as {
    root: string;
    attrib: Record<string, string>;
    suites: Array<{ attrib: Record<string, string>; cases: Array<{ name: string; classname: string; time: string; children: Array<{ tag: string; message: string; type: string | null; text: string | null }> }> }>;
  };
}

/**
 * The commands a GitHub Actions runner would act on in this output: `::name props::data` lines, none while
 * `::stop-commands::<token>` is in force (until `::<token>::`), the data unescaped as the runner does.
 */
function workflowCommands(stdout: string) {
  const commands: Array<{ name: string; props: Record<string, string>; data: string }> = [];
  let stopped: string | null = null;
  const decode = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  for (const raw of stdout.split("\n")) {
    const line = raw.trimStart();
    if (stopped !== null) {
      if (line === `::${stopped}::`) stopped = null;
      continue;
    }
    const match = /^::([\w-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const [, name, props = "", data = ""] = match;
    if (name === "stop-commands") {
      stopped = data;
      continue;
    }
    const parsed = Object.fromEntries(props.split(",").filter(Boolean).map((p) => [p.slice(0, p.indexOf("=")), decode(p.slice(p.indexOf("=") + 1))]));
    commands.push({ name: name!, props: parsed, data: decode(data) });
  }
  return commands;
}

describe("reports CI systems read", () => {
  it("--junit: a suite per run, a case per asset and per check, failures, errors and skips, parsed by a real XML parser", async () => {
    const dir = temp();
    const blocked = await runPipes(["materialize", "-f", CHECKS, "--all", "--extra", "fail=not_empty", "--junit", join(dir, "checks.xml")]);
    expect(blocked.code, blocked.stdout).toBe(1);
    const report = parseJunit(join(dir, "checks.xml"));
    expect(report.root).toBe("testsuites");
    expect(report.attrib).toMatchObject({ tests: "5", failures: "1", errors: "0", skipped: "1" });
    expect(report.suites).toHaveLength(1);
    const cases = report.suites[0]!.cases;
    expect(cases.map((c) => c.name)).toEqual(["orders", "orders:not_empty", "orders:fresh", "orders:typed", "summary"]);
    expect(cases[1]!.children).toEqual([{ tag: "failure", message: "check not_empty failed (severity ERROR)", type: "AssetCheckERROR", text: null }]);
    expect(cases[4]!.children[0]).toMatchObject({ tag: "skipped", message: "upstream orders (blocking check not_empty failed)" });
    expect(Number(cases[0]!.time)).toBeGreaterThan(0);

    // A function that failed is an error with its message and trace; output that is not XML-safe stays well-formed.
    const failed = await runPipes(["materialize", "-f", HOSTILE, "--all", "--report", `junit=${join(dir, "hostile.xml")}`]);
    expect(failed.code).toBe(1);
    const hostile = parseJunit(join(dir, "hostile.xml")).suites[0]!.cases;
    expect(hostile[0]!.children[0]).toMatchObject({ tag: "error", type: "Error", message: "Error: boom%0A::error::pwned in a message\n::error::pwned on a line of its own" });
    expect(hostile[0]!.children[0]!.text).toMatch(/hostile\.mjs:\d+/);
  });

  it("GITHUB_ACTIONS=true: annotations with the asset's line, a group per asset, the job summary appended", async () => {
    const dir = temp();
    const summaryFile = join(dir, "summary.md");
    writeFileSync(summaryFile, "earlier step\n");
    const run = await runPipes(["materialize", "-f", CHECKS, "--all", "--extra", "fail=typed,fresh"], { env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summaryFile } });
    expect(run.code, run.stdout).toBe(1);
    const commands = workflowCommands(run.stdout);
    expect(commands.filter((c) => c.name === "group").map((c) => c.data)).toEqual([expect.stringMatching(/^✔ orders +→ checked/), expect.stringMatching(/^✔ summary +→ plain/)]);
    expect(commands.filter((c) => c.name === "endgroup")).toHaveLength(2);
    const annotations = commands.filter((c) => c.name === "error" || c.name === "warning");
    expect(annotations).toEqual([
      { name: "error", props: { file: "fixtures/checks/defs.ts", line: "7", title: "pipes: check orders:typed" }, data: "check typed of orders failed (severity ERROR)" },
      { name: "warning", props: { file: "fixtures/checks/defs.ts", line: "7", title: "pipes: check orders:fresh" }, data: "check fresh of orders failed (severity WARN)" },
    ]);
    const summary = readFileSync(summaryFile, "utf8");
    expect(summary.startsWith("earlier step\n### pipes materialize · fixtures/checks/defs.ts · profile local")).toBe(true);
    expect(summary).toMatch(/\| asset \| status \| duration \| billed \| cost \| checks \|/);
    // Durations past a second read "1.7 s": on a loaded machine the handler's may be.
    expect(summary).toMatch(/\| `orders` \| ✅ materialized \| (\d+ ms|\d+\.\d s) \| (\d+ ms|\d+\.\d s) \| \$0\.\d+ \| 1 passed, 1 failed \(ERROR\), 1 failed \(WARN\) \|/);
    expect(summary).toMatch(/- `orders:typed` failed \(ERROR\)/);

    // --report md=FILE writes the same summary anywhere.
    const again = await runPipes(["materialize", "-f", CHECKS, "--all", "--report", `md=${join(dir, "run.md")}`]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, "run.md"), "utf8")).toMatch(/✅ 2 materialized · checks 3 passed/);
    const bad = await runPipes(["materialize", "-f", CHECKS, "--all", "--report", "html=x.html"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--report html=x.html: expected md=FILE .* or junit=FILE/);
    // A report that cannot be written is said before anything runs.
    const nowhere = await runPipes(["materialize", "-f", CHECKS, "--all", "--junit", join(dir, "missing", "r.xml")]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/--junit .*r\.xml: the folder .*missing does not exist/);
    expect(nowhere.stdout).toBe("");
  });

  it("a function's output never becomes a workflow command: command lines, %0A sequences, newlines in messages", async () => {
    const dir = temp();
    const run = await runPipes(["materialize", "-f", HOSTILE, "--all"], { env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: join(dir, "summary.md") } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::pwned by a log line/); // printed, as text
    const commands = workflowCommands(run.stdout);
    expect(new Set(commands.map((c) => c.name))).toEqual(new Set(["group", "endgroup", "error", "warning"]));
    // Only pipes' annotations, each carrying the function's text whole, as its data.
    expect(commands.filter((c) => c.name === "error").map((c) => c.data)).toEqual([
      "Error: boom%0A::error::pwned in a message\n::error::pwned on a line of its own",
      "check sane%0A::error::pwned of hostile failed (severity ERROR)",
    ]);
    // The check it reported is not the one declared (sane): the warning names it whole too.
    expect(commands.filter((c) => c.name === "warning").map((c) => c.data)).toEqual([
      expect.stringMatching(/^hostile: the function reported check sane%0A::error::pwned, which the definitions do not declare;/),
    ]);
    const summary = readFileSync(join(dir, "summary.md"), "utf8");
    expect(summary).not.toMatch(/<|\n::error/);
  });
});
