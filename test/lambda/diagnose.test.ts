import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/lambda/diagnose.js";

const base = { message: "", functionName: "f", defsFile: "defs.ts", handler: "./fn/index.handler", memoryMb: 256, timeoutSeconds: 3, usedMb: null };

describe("diagnose", () => {
  it("says the cause and the fix of Lambda's errors, and nothing of the others", () => {
    expect(diagnose({ ...base, errorType: "Runtime.OutOfMemory" })).toMatch(/^function "f" outgrew its 256 MB/);
    expect(diagnose({ ...base, errorType: "Runtime.OutOfMemory", usedMb: 255 })).toMatch(/^function "f" used 255 MB of its 256 MB/);
    expect(diagnose({ ...base, errorType: "Runtime.HandlerNotFound", exports: [] })).toMatch(/names the export "handler", which its file does not have; its file exports nothing/);
    expect(diagnose({ ...base, handler: "./a.b/index.main.run", errorType: "Runtime.HandlerNotFound" })).toMatch(/names the export "main\.run"/);
    expect(diagnose({ ...base, errorType: "Runtime.UserCodeSyntaxError" })).toBeNull(); // no location known: Lambda's words stand
    expect(diagnose({ ...base, errorType: "Error" })).toBeNull();
  });

  it("a syntax error whose message already says where and what: only the line and its caret, under the place", () => {
    const syntax = { file: "fn/index.ts", line: 2, column: 20, lineText: "  const x: number = ;", text: 'Unexpected ";"' };
    const message = 'SyntaxError: fn/index.ts:2:21: Unexpected ";"';
    expect(diagnose({ ...base, errorType: "Runtime.UserCodeSyntaxError", message, syntax })).toBe("fn/index.ts:2:21\n      const x: number = ;\n                        ^");
    // Python's message says it in its own words: the text is kept beside the place.
    const py = { ...syntax, file: "app.py", line: 2, column: 4, lineText: "def f(:", text: "invalid syntax" };
    expect(diagnose({ ...base, errorType: "Runtime.UserCodeSyntaxError", message: "Syntax error in module 'app': invalid syntax (app.py, line 2)", syntax: py })).toMatch(/^app\.py:2:5: invalid syntax\n/);
  });

  it("a Python handler: the functions its module defines, the import that failed, a caret under tabs", () => {
    const py = { ...base, handler: "./py/main.handlr", python: true };
    expect(diagnose({ ...py, errorType: "Runtime.HandlerNotFound", exports: ["handler", "Model"] })).toMatch(
      /names the function "handlr", which its file does not define; its file defines "handler", "Model"\. Define it/,
    );
    expect(diagnose({ ...py, errorType: "Runtime.HandlerNotFound", exports: [] })).toMatch(/its file defines no function/);
    const importAt = { file: "py/main.py", line: 3, column: 4, lineText: "\tif x: import boto4" };
    expect(diagnose({ ...py, errorType: "Runtime.ImportModuleError", message: "Unable to import module 'main': No module named 'boto4'", importAt, functionFolder: "py" })).toBe(
      "py/main.py:3:5: No module named 'boto4'\n    \tif x: import boto4\n    \t   ^\n" +
        '    If it is a package, list it in py/requirements.txt: pipes installs it for function "f", and deploy-handler puts it in the zip.',
    );
    // Not a missing package: no advice about requirements.txt.
    const named = diagnose({ ...py, errorType: "Runtime.ImportModuleError", message: "Unable to import module 'main': cannot import name 'x' from 'util'", importAt });
    expect(named).not.toMatch(/requirements/);
    expect(diagnose({ ...py, errorType: "Runtime.ImportModuleError", message: "Unable to import module 'main': No module named 'boto4'" })).toBeNull();
  });
});
