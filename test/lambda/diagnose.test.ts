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
});
