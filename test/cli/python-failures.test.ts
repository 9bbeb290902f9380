import { beforeAll, describe, expect, it } from "vitest";
import { type Result, runPipes, tempProject } from "../helpers/run-pipes.js";

/**
 * A Python function's failures shown as a TypeScript one's are (error-frames.test.ts, diagnosis.test.ts): an error
 * the function rethrew said once, and a handler that does not load shown at the user's file, line and column.
 */
const DEFS = `export default {
  assets: {
    not_partitioned: { function: "pk" }, own_error: { function: "own" }, syntax: { function: "syn" },
    missing_import: { function: "imp" }, missing_deeper: { function: "deep" }, wrong_name: { function: "wrong" },
  },
  functions: {
    pk: { handler: "./py/pk.handler", runtime: "python3.12" },
    own: { handler: "./py/own.handler", runtime: "python3.12" },
    syn: { handler: "./py/syn.handler", runtime: "python3.12" },
    imp: { handler: "./py/imp.handler", runtime: "python3.12" },
    deep: { handler: "./py/deep.handler", runtime: "python3.12" },
    wrong: { handler: "./py/main.handlr", runtime: "python3.12" },
  },
  profiles: { local: { lambda: { emulator: true } } },
};
`;

const FILES = {
  "defs.ts": DEFS,
  // The handler library's own PipesError, from a run that is not partitioned.
  "py/pk.py": ["from pipes_lambda import with_pipes", "", "", "@with_pipes", "def handler(event, pipes, context):", "    return pipes.partition_key", ""].join("\n"),
  // An exception class of the user's module: Python names it `own.BadRows` in the closed message.
  "py/own.py": [
    "from pipes_lambda import with_pipes",
    "",
    "",
    "class BadRows(Exception):",
    "    pass",
    "",
    "",
    "@with_pipes",
    "def handler(event, pipes, context):",
    '    raise BadRows("3 rows without an id")',
    "",
  ].join("\n"),
  "py/syn.py": ["def handler(event, context):", "    total = = 1", "    return total", ""].join("\n"),
  "py/imp.py": ["import requests_not_there", "", "", "def handler(event, context):", "    return 1", ""].join("\n"),
  // The missing module is imported by a module of the function's own folder, two levels down.
  "py/deep.py": ["import json", "from helpers import rows", "", "", "def handler(event, context):", "    return rows()", ""].join("\n"),
  "py/helpers/__init__.py": "",
  "py/helpers/rows.py": ["import os", "", "from .parse import parse", "", "", "def rows():", "    return parse()", ""].join("\n"),
  "py/helpers/parse.py": ["import json", "", "", "def parse():", "    from yaml_not_there import load", "", "    return load", "", "", "import yaml_not_there  # noqa", ""].join("\n"),
  "py/main.py": ["def handler(event, context):", "    return 1", "", "", "def helper():", "    pass", "", "", "CONSTANT = 3", ""].join("\n"),
};

let dir: string;
let text: Result;
let github: Result;
let notes: Record<string, string>;
beforeAll(async () => {
  dir = tempProject(FILES);
  const vendored = await runPipes(["vendor", "--runtime", "python", "--out", "py"], { cwd: dir });
  expect(vendored.code, vendored.stderr).toBe(0);
  const [human, json, actions] = await Promise.all([
    runPipes(["materialize", "--all"], { cwd: dir }),
    runPipes(["materialize", "--all", "--json"], { cwd: dir }),
    runPipes(["materialize", "syntax", "missing_import", "missing_deeper"], { cwd: dir, env: { GITHUB_ACTIONS: "true" } }),
  ]);
  text = human;
  github = actions;
  expect(text.code, text.stdout + text.stderr).toBe(1);
  expect(json.code, json.stderr).toBe(1);
  notes = Object.fromEntries(
    json.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; asset: string | null; message?: string })
      .filter((e) => e.type === "note" && e.asset)
      .map((e) => [e.asset, e.message ?? ""]),
  );
});

/** The lines of one asset's block in the text output. */
function block(asset: string): string {
  const lines = text.stdout.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`✖ ${asset} `));
  expect(start, text.stdout).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && /^(?:✖|✔)/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

describe("a Python function's failures", () => {
  it("an error the handler library raised and the function rethrew: one headline without the module, one traceback", () => {
    const shown = block("not_partitioned");
    expect(shown).toContain("✖ pipes closed with exception: PipesError: this is not a partitioned run: partition_key is None");
    expect(shown).toContain("✖ error: the same PipesError (the function rethrew it)");
    expect(shown).not.toContain("pipes_lambda.PipesError");
    expect(shown.split("return pipes.partition_key").length - 1, shown).toBe(1);
    // The same for an exception class of the user's own module.
    const own = block("own_error");
    expect(own).toContain("✖ pipes closed with exception: BadRows: 3 rows without an id");
    expect(own).toContain("✖ error: the same BadRows (the function rethrew it)");
    expect(own.split('raise BadRows("3 rows without an id")').length - 1, own).toBe(1);
  });

  it("a syntax error: the file from the project, line and column, the line and a caret under the column", () => {
    const match = /^py\/syn\.py:2:(\d+): (.+)\n {4}( {4}total = = 1)\n {4}( *)\^$/.exec(notes.syntax ?? "");
    expect(match, notes.syntax).not.toBeNull();
    const [, column, , line, pad] = match!;
    // The caret is under the column the location names, and that is the second "=".
    expect(pad!.length + 1).toBe(Number(column));
    expect(line![Number(column) - 1]).toBe("=");
    expect(block("syntax")).toContain(`ℹ py/syn.py:2:${column}: `);
    // Lambda's runtime gives the file and line as the error's one frame: shown at the user's path, and annotated there.
    expect(block("syntax")).toContain('File "py/syn.py" Line 2');
    expect(github.stdout).toContain("::error file=py/syn.py,line=2,title=pipes%3A syntax failed::");
  });

  it("an import that fails: the import statement's file and line, in the handler's file or a module of its folder", () => {
    expect(notes.missing_import).toMatch(/^py\/imp\.py:1:1: No module named 'requests_not_there'\n {4}import requests_not_there\n {4}\^\n {4}If it is a package, list it in py\/requirements\.txt/);
    // deep.py:2 imports helpers.rows, whose line 3 imports helpers.parse, whose line 10 is the missing import that
    // runs as it loads (the one in parse()'s body, above it, does not).
    expect(notes.missing_deeper).toMatch(/^py\/helpers\/parse\.py:10:1: No module named 'yaml_not_there'\n {4}import yaml_not_there {2}# noqa\n {4}\^\n/);
    expect(block("missing_import")).toContain("ℹ py/imp.py:1:1: No module named 'requests_not_there'");
    // The GitHub annotation points there too, as it does at a TypeScript import esbuild could not resolve.
    expect(github.stdout).toContain("::error file=py/imp.py,line=1,title=pipes%3A missing_import failed::");
    expect(github.stdout).toContain("::error file=py/helpers/parse.py,line=10,title=pipes%3A missing_deeper failed::");
  });

  it("a handler name the module does not define: the callables it does define", () => {
    expect(notes.wrong_name).toBe(
      'function "wrong"\'s handler "./py/main.handlr" names the function "handlr", which its file does not define; its file defines "handler", "helper". ' +
        'Define it, or change handler of function "wrong" in defs.ts.',
    );
  });
});
