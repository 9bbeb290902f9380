import { describe, expect, it } from "vitest";
import { FrameMapper, messageLocation, userLocation, userTrace } from "../../src/report/frames.js";

const roots = { project: "/home/u/proj", functionFolder: "/home/u/proj/functions/export" };

describe("frames", () => {
  it("shows where the code ran from (emulator task root, bundle, upload, Lambda's /var/task) as the function's folder", () => {
    const trace = [
      "Error: boom",
      "    at fail (file:///tmp/pipes-emulator-3bo8vD/tasks/9977ebb4ab2f091b8786111a57168293/index.mjs:5:9)",
      "    at run (/tmp/pipes-emulator-3bo8vD/builds/ab12cd/lib.js:2:1)",
      "    at up (/tmp/pipes-emulator-3bo8vD/export-2/index.mjs:7:3)",
      "    at aws (/var/task/index.mjs:9:1)",
      "    at own (/home/u/proj/functions/export/util.ts:3:5)",
      "    at dep (/home/u/proj/node_modules/x/index.js:1:1)",
    ];
    expect(userTrace(trace, roots)).toEqual([
      "Error: boom",
      "    at fail (functions/export/index.mjs:5:9)",
      "    at run (functions/export/lib.js:2:1)",
      "    at up (functions/export/index.mjs:7:3)",
      "    at aws (functions/export/index.mjs:9:1)",
      "    at own (functions/export/util.ts:3:5)",
      "    at dep (node_modules/x/index.js:1:1)",
    ]);
  });

  it("drops the runtime's frames and the handler library's, Node.js and Python (with a frame's source lines)", () => {
    const node = [
      "at fail (/home/u/proj/fn/index.ts:4:9)",
      "at pipesHandler (/home/u/proj/fn/pipes-vendored:pipes-lambda.cjs:251:28)",
      "at file:///usr/lib/pipes/src/emulator/runtimes/node-bootstrap.mjs:371:24",
      "at new Promise (<anonymous>)",
      "at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
      "at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
    ];
    expect(userTrace(node, { ...roots, functionFolder: "/home/u/proj/fn" })).toEqual(["at fail (fn/index.ts:4:9)"]);
    const python = [
      '  File "/usr/lib/pipes/src/emulator/runtimes/python_bootstrap.py", line 80, in invoke',
      "    result = handler(event, context)",
      "             ^^^^^^^^^^^^^^^^^^^^^^",
      '  File "/home/u/proj/py/pipes_lambda.py", line 318, in wrapper',
      "    return handler(event, pipes, context)",
      '  File "/home/u/proj/py/app.py", line 5, in check',
      '    raise ValueError("bad")',
    ];
    const mapped = userTrace(python, roots);
    expect(mapped).toEqual(['  File "py/app.py", line 5, in check', '    raise ValueError("bad")']);
    expect(userLocation(mapped)).toEqual({ file: "py/app.py", line: 5 });
  });

  it("finds the innermost frame in the user's files: first for Node.js, last for Python", () => {
    expect(userLocation(["at a (fn/index.ts:8:9)", "at b (fn/main.ts:2:1)"])).toEqual({ file: "fn/index.ts", line: 8 });
    expect(userLocation(["at a (node_modules/x/i.js:1:1)", "at fn/index.mjs:3:3"])).toEqual({ file: "fn/index.mjs", line: 3 });
    expect(userLocation(['  File "py/a.py", line 10, in h', "    f()", '  File "py/b.py", line 5, in f'])).toEqual({ file: "py/b.py", line: 5 });
    expect(userLocation(["at /elsewhere/x.js:1:1"])).toBeNull();
  });

  it("maps a step's output lines as they come, dropping runtime frames a handler logged", () => {
    const mapper = new FrameMapper(roots);
    const out = (text: string) => mapper.map({ type: "output", asset: "a", text, level: null });
    expect(out("    at x (/tmp/pipes-emulator-ab12Cd/tasks/0123abcd/index.mjs:1:2)")).toMatchObject({ text: "    at x (functions/export/index.mjs:1:2)" });
    expect(out("    at y (file:///opt/pipes/src/emulator/runtimes/node-bootstrap.mjs:1:2)")).toBeNull();
    expect(out('  File "/opt/pipes/src/emulator/runtimes/python_bootstrap.py", line 3, in main')).toBeNull();
    expect(out("    main()")).toBeNull();
    expect(out("done")).toMatchObject({ text: "done" });
  });
});

describe("what frames leave alone", () => {
  it("a function's own output that is not a frame keeps its paths", () => {
    const mapper = new FrameMapper(roots);
    expect(mapper.map({ type: "output", asset: "a", text: "wrote /home/u/proj/out.csv", level: null })).toMatchObject({ text: "wrote /home/u/proj/out.csv" });
  });
});

describe("a Python traceback, once", () => {
  it("the runtime's report of an uncaught error leaves the log lines (the error event carries it); logging's [ERROR] stays", () => {
    const mapper = new FrameMapper(roots);
    const out = (text: string) => mapper.map({ type: "output", asset: "a", text, level: null });
    expect(out("[ERROR] ValueError: bad 3")).toBeNull();
    expect(out("Traceback (most recent call last):")).toBeNull();
    expect(out('  File "/home/u/proj/py/app.py", line 5, in check')).toBeNull();
    expect(out('    raise ValueError("bad 3")')).toBeNull();
    expect(out("END RequestId: 1")).toMatchObject({ text: "END RequestId: 1" });
    expect(out("[ERROR]\t2024-01-01T00:00:00.000Z\t1\tsomething the handler logged")).not.toBeNull();
  });
});

describe("messageLocation", () => {
  it("finds the user's file:line in a build error's message", () => {
    expect(messageLocation('SyntaxError: fn/lib.ts:2:16: Unexpected ";"')).toEqual({ file: "fn/lib.ts", line: 2 });
    expect(messageLocation("Error: Cannot find module 'x' (fn/index.mts:1:15: Could not resolve \"x\")")).toEqual({ file: "fn/index.mts", line: 1 });
    expect(messageLocation("boom at /abs/x.ts:1:1")).toBeNull();
    expect(messageLocation("no location")).toBeNull();
  });
});
