import { describe, expect, it } from "vitest";
import { evaluateSelection } from "../../src/run/selection.js";

// raw → clean → summary → report, and raw → audit
const assets = [
  { key: "raw", deps: [] },
  { key: "clean", deps: ["raw"] },
  { key: "summary", deps: ["clean"] },
  { key: "report", deps: ["summary"] },
  { key: "audit", deps: ["raw"] },
];
const keys = (selections: string[], exclude: string[] = []) => [...evaluateSelection(assets, selections, exclude).keys].sort();

describe("asset selections as Dagster and dbt users type them", () => {
  it("names, upstream (+name), downstream (name+) and depths", () => {
    expect(keys(["clean"])).toEqual(["clean"]);
    expect(keys(["+summary"])).toEqual(["clean", "raw", "summary"]);
    expect(keys(["1+summary"])).toEqual(["clean", "summary"]);
    expect(keys(["raw+"])).toEqual(["audit", "clean", "raw", "report", "summary"]);
    expect(keys(["raw+1"])).toEqual(["audit", "clean", "raw"]);
    expect(keys(["+clean+"])).toEqual(["clean", "raw", "report", "summary"]);
  });

  it("key globs, unions and exclusions", () => {
    expect(keys(["key:r*"])).toEqual(["raw", "report"]);
    expect(keys(["key:?aw", "audit"])).toEqual(["audit", "raw"]);
    expect(keys(["raw+"], ["report", "key:a*"])).toEqual(["clean", "raw", "summary"]);
  });

  it("says which selections matched nothing", () => {
    expect(evaluateSelection(assets, ["clean", "nope", "key:x*", "+ghost"]).unmatched).toEqual(["nope", "key:x*", "+ghost"]);
    expect(evaluateSelection(assets, ["clean"], ["nothing"]).unmatched).toEqual(["nothing"]);
  });
});
