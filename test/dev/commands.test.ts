import { describe, expect, it } from "vitest";
import { completeAssets, parseCommand } from "../../src/dev/commands.js";

describe("pipes dev commands", () => {
  it("reads the short keys, the long words and asset names", () => {
    expect(["a", "all", "materialize --all", "m"].map((l) => parseCommand(l).kind)).toEqual(["all", "all", "all", "all"]);
    expect(["r", "rerun", "l", "list", "q", "quit", "exit", "h", "?", "  "].map((l) => parseCommand(l).kind)).toEqual([
      "rerun", "rerun", "list", "list", "quit", "quit", "quit", "help", "help", "empty",
    ]);
    expect(parseCommand("materialize raw_orders clean_orders")).toEqual({ kind: "materialize", assets: ["raw_orders", "clean_orders"] });
    expect(parseCommand("raw_orders")).toEqual({ kind: "materialize", assets: ["raw_orders"] });
    // A word that is a command alone is an asset name among others.
    expect(parseCommand("a b")).toEqual({ kind: "materialize", assets: ["a", "b"] });
  });

  it("completes the last word with asset keys", () => {
    const keys = ["raw_orders", "clean_orders", "orders_summary"];
    expect(completeAssets("raw", keys)).toEqual([["raw_orders"], "raw"]);
    expect(completeAssets("raw_orders cl", keys)).toEqual([["clean_orders"], "cl"]);
    expect(completeAssets("zzz", keys)).toEqual([keys, "zzz"]);
  });
});
