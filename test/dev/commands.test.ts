import { describe, expect, it } from "vitest";
import { parsePromptRun, PROMPT_FLAGS } from "../../src/cli/dev-prompt.js";
import { complete, parseCommand, splitWords } from "../../src/dev/commands.js";

describe("pipes dev commands", () => {
  it("reads the short keys, the long words, and selections with materialize's flags", () => {
    expect(["a", "all", "m", "materialize"].map((l) => parseCommand(l).kind)).toEqual(["all", "all", "all", "all"]);
    expect(["r", "rerun", "l", "list", "q", "quit", "exit", "h", "?", "  "].map((l) => parseCommand(l).kind)).toEqual([
      "rerun", "rerun", "list", "list", "quit", "quit", "quit", "help", "help", "empty",
    ]);
    expect(parseCommand("materialize raw_orders clean_orders")).toEqual({ kind: "materialize", args: ["raw_orders", "clean_orders"] });
    expect(parseCommand("raw_events --partition 2024-01-05")).toEqual({ kind: "materialize", args: ["raw_events", "--partition", "2024-01-05"] });
    // A word that is a command alone is an asset name among others.
    expect(parseCommand("a b")).toEqual({ kind: "materialize", args: ["a", "b"] });
    expect(parseCommand("x --extra 'note=a b'")).toEqual({ kind: "materialize", args: ["x", "--extra", "note=a b"] });
    expect(parseCommand("x --extra 'note")).toMatchObject({ kind: "invalid", message: expect.stringMatching(/unclosed '/) });
    expect(splitWords(` a  "" 'b c'd `)).toEqual(["a", "", "b cd"]);
  });

  it("reads a typed selection with pipes materialize's option table", () => {
    expect(parsePromptRun(["events", "--partition", "2024-01-05", "--extra", "n=1", "--extra", "m=x"])).toMatchObject({
      keys: ["events"],
      options: { partition: "2024-01-05", extra: ["n=1", "m=x"], exclude: [] },
    });
    expect(parsePromptRun(["--retry", "last"])).toMatchObject({ keys: [], options: { retry: "last" } });
    expect(() => parsePromptRun(["events", "--partiton", "x"])).toThrow(/unknown option '--partiton'.*Did you mean --partition\?/s);
    expect(() => parsePromptRun(["events", "--partition"])).toThrow(/option '--partition <key>' argument missing/);
    expect(parsePromptRun(["--help"])).toMatchObject({ help: expect.stringContaining("--partition-range") });
    expect(PROMPT_FLAGS).toEqual(expect.arrayContaining(["--partition", "--partition-range", "--extra", "--exclude", "--retry", "--upstream", "--help"]));
  });

  it("completes asset keys, flags, and partition keys after --partition", () => {
    const from = { assets: ["raw_orders", "clean_orders", "orders_summary"], flags: ["--partition", "--partition-range", "--extra"], partitionKeys: () => ["2024-01-01", "2024-01-02", "2024-02-01"] };
    expect(complete("raw", from)).toEqual([["raw_orders"], "raw"]);
    expect(complete("raw_orders cl", from)).toEqual([["clean_orders"], "cl"]);
    expect(complete("zzz", from)).toEqual([from.assets, "zzz"]);
    expect(complete("raw_orders --part", from)).toEqual([["--partition", "--partition-range"], "--part"]);
    expect(complete("raw_orders --partition 2024-01", from)).toEqual([["2024-01-01", "2024-01-02"], "2024-01"]);
    expect(complete("raw_orders --partition-range 2024-01-01...2024-0", from)).toEqual([["2024-01-01...2024-01-01", "2024-01-01...2024-01-02", "2024-01-01...2024-02-01"], "2024-01-01...2024-0"]);
  });
});
