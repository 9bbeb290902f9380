import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runPipes, tempProject } from "../helpers/run-pipes.js";

/**
 * A function error is shown at the user's own line in every view: a TypeScript handler (through its source map),
 * an .mjs one (which runs from the emulator's task root in the temp dir) and a Python one.
 */
const DEFS = `import { defineDefinitions } from "lambda-pipes";
export default defineDefinitions({
  assets: { ts_fails: { function: "ts" }, mjs_fails: { function: "mjs" }, py_fails: { function: "py" }, does_not_parse: { function: "bad" } },
  functions: {
    ts: { handler: "./fn/index.handler", runtime: "nodejs24.x" },
    mjs: { handler: "./js/app.handler", runtime: "nodejs24.x" },
    py: { handler: "./py/app.handler", runtime: "python3.12" },
    bad: { handler: "./bad/index.handler", runtime: "nodejs24.x" },
  },
  profiles: { local: { lambda: { emulator: true } } },
});
`;

const BAD = ["export const handler = async () => {", "  const ok = 1;", "  return ok +;", "};", ""].join("\n");

const FILES = {
  "defs.ts": DEFS,
  // Line 8 throws; the types above it shift the JavaScript's lines, so only a source map gets 8.
  "fn/index.ts": [
    'import { withPipes } from "./pipes-lambda.cjs";',
    "",
    "interface Row {",
    "  id: number;",
    "}",
    "",
    "function check(rows: Row[]): never {",
    '  throw new Error("bad rows: " + rows.length);',
    "}",
    "",
    "export const handler = withPipes(async () => check([{ id: 1 }]));",
    "",
  ].join("\n"),
  "bad/index.ts": BAD,
  "js/app.mjs": ['import { withPipes } from "./pipes-lambda.cjs";', "", "function check() {", '  throw new Error("bad js");', "}", "", "export const handler = withPipes(async () => check());", ""].join("\n"),
  "py/app.py": ["from pipes_lambda import with_pipes", "", "", "def check():", '    raise ValueError("bad py")', "", "", "@with_pipes", "def handler(event, pipes, context):", "    check()", ""].join("\n"),
};

const WHERE = { ts_fails: ["fn/index.ts", 8], mjs_fails: ["js/app.mjs", 4], py_fails: ["py/app.py", 5] } as const;
/** What must never reach the user: the emulator's copies in the temp dir, and the runtime's own frames. */
const LEAKS = /pipes-emulator-|node-bootstrap|python_bootstrap|\/tasks\/[0-9a-f]{32}|pipes-vendored/;

let dir: string;
beforeAll(async () => {
  dir = tempProject(FILES);
  for (const [runtime, out] of [["node", "fn"], ["node", "js"], ["python", "py"]] as const) {
    const r = await runPipes(["vendor", "--runtime", runtime, "--out", out], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  }
});

const assets = Object.keys(WHERE);

describe("function errors at the user's line", () => {
  it("text: each names its file and line, with no temp path or runtime frame, and Python's traceback once", async () => {
    const r = await runPipes(["materialize", ...assets], { cwd: dir, env: { PIPES_HISTORY: "1" } });
    expect(r.code).toBe(1);
    const all = r.stdout + r.stderr;
    expect(all).toContain("at check (fn/index.ts:8:9)");
    expect(all).toContain("at check (js/app.mjs:4:9)");
    expect(all).toContain('File "py/app.py", line 5, in check');
    expect(all).not.toMatch(LEAKS);
    expect(all.split('raise ValueError("bad py")').length - 1).toBe(1);
    // The recorded run replays the same frames.
    const logs = await runPipes(["logs", "last"], { cwd: dir });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain("at check (fn/index.ts:8:9)");
    expect(logs.stdout).not.toMatch(LEAKS);
  });

  it("--json: the error events carry the mapped frames, and no event leaks a temp path or runtime frame", async () => {
    const r = await runPipes(["materialize", ...assets, "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(LEAKS);
    const errors = r.stdout.trim().split("\n").map((l) => JSON.parse(l)).filter((e) => e.type === "error");
    for (const [asset, [file, line]] of Object.entries(WHERE)) {
      const traces = errors.filter((e) => e.asset === asset).map((e) => e.trace.join("\n"));
      expect(traces.length).toBeGreaterThan(0);
      for (const trace of traces) expect(trace).toMatch(file.endsWith(".py") ? `File "${file}", line ${line}` : `${file}:${line}:`);
    }
  });

  it("JUnit and GitHub annotations point at the handler's file and line, not the definitions file", async () => {
    const r = await runPipes(["materialize", ...assets, "--junit", "junit.xml"], { cwd: dir, env: { GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(1);
    const junit = readFileSync(join(dir, "junit.xml"), "utf8");
    expect(junit).toContain("fn/index.ts:8:9");
    expect(junit).toContain("js/app.mjs:4:9");
    expect(junit).toContain('File "py/app.py", line 5');
    expect(junit + r.stdout + r.stderr).not.toMatch(LEAKS);
    for (const [asset, [file, line]] of Object.entries(WHERE)) {
      expect(r.stdout + r.stderr).toContain(`::error file=${file},line=${line},title=pipes%3A ${asset} failed::`);
    }
  });

  it("a TypeScript handler that does not parse: the annotation points at the line esbuild refused", async () => {
    const r = await runPipes(["materialize", "does_not_parse"], { cwd: dir, env: { GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Runtime.UserCodeSyntaxError: SyntaxError: bad/index.ts:3:14");
    expect(r.stdout).toContain("::error file=bad/index.ts,line=3,title=pipes%3A does_not_parse failed::");
    expect(r.stdout + r.stderr).not.toMatch(LEAKS);
  });
});
