// The page's log of a step (issue 28): a rethrown error, reported by withPipes in `closed` and again by Lambda, is
// said once with its trace, then as "the same" error, as the terminal says it.
import { describe, expect, it } from "vitest";
import { logLines } from "../../src/ui/page/events.js";

const error = (source: string, asset = "a") => ({
  type: "error",
  asset,
  partition: null,
  source,
  errorType: "ValueError",
  message: "not a number: abc",
  trace: ['File "py/throws.py", line 9, in handler', 'File "py/throws.py", line 4, in parse'],
});

describe("a step's log lines on the page", () => {
  it("say a rethrown error once, its trace once, then 'the same' error", () => {
    const lines = logLines([error("pipes"), error("function")]).map((l) => l.text);
    // Before: the message and its trace twice.
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("✖ ValueError: not a number: abc");
    expect(lines[0]).toContain('File "py/throws.py", line 9, in handler');
    expect(lines[1]).toBe("✖ the same ValueError (the function rethrew it)");
  });

  it("keeps the same error of another step whole", () => {
    const lines = logLines([error("pipes", "a"), error("pipes", "b")]).map((l) => l.text);
    expect(lines.every((l) => l.startsWith("✖ ValueError: not a number: abc"))).toBe(true);
  });
});
