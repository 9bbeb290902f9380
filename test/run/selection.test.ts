import { describe, expect, it } from "vitest";
import { evaluateSelection } from "../../src/run/selection.js";

// raw → clean → summary → report, and raw → audit
const assets = [
  { key: "raw", deps: [], tags: { layer: "bronze", pii: "" }, group: "ingest" },
  { key: "clean", deps: ["raw"], tags: { layer: "silver" }, group: "ingest" },
  { key: "summary", deps: ["clean"], tags: { layer: "gold" }, group: "reporting" },
  { key: "report", deps: ["summary"], tags: {}, group: "reporting" },
  { key: "audit", deps: ["raw"], tags: { pii: "" }, group: null },
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
    // A bare glob is a key glob (the README says `*` works in every pattern)
    expect(keys(["r*"])).toEqual(["raw", "report"]);
    expect(keys(["r*+1"])).toEqual(["audit", "clean", "raw", "report"]);
    expect(keys(["raw+"], ["*ep*"])).toEqual(["audit", "clean", "raw", "summary"]);
  });

  it("tag:k=v, tag:k and group:g, with the other operators around them", () => {
    expect(keys(["tag:layer=silver"])).toEqual(["clean"]);
    expect(keys(["tag:layer=*"])).toEqual(["clean", "raw", "summary"]);
    expect(keys(["tag:pii"])).toEqual(["audit", "raw"]);
    expect(keys(["tag:layer=platinum"])).toEqual([]);
    expect(keys(["group:reporting"])).toEqual(["report", "summary"]);
    expect(keys(["group:ing*"])).toEqual(["clean", "raw"]);
    expect(keys(["+group:reporting"])).toEqual(["clean", "raw", "report", "summary"]);
    expect(keys(["tag:layer=gold+"])).toEqual(["report", "summary"]);
    expect(keys(["group:ingest", "tag:pii"], ["tag:layer=bronze"])).toEqual(["audit", "clean"]);
  });

  it("says which selections matched nothing", () => {
    expect(evaluateSelection(assets, ["clean", "nope", "key:x*", "+ghost"]).unmatched).toEqual(["nope", "key:x*", "+ghost"]);
    expect(evaluateSelection(assets, ["clean"], ["nothing"]).unmatched).toEqual(["nothing"]);
    expect(evaluateSelection(assets, ["tag:owner=me", "group:nope"]).unmatched).toEqual(["tag:owner=me", "group:nope"]);
  });
});
