import { describe, expect, it } from "vitest";
import { changeEffect } from "../../src/dev/changes.js";

const functions = [
  { name: "ingest", codeRoot: "/p/handlers" },
  { name: "report", codeRoot: "/p/py" },
];

describe("what a change means in pipes dev", () => {
  it("a file in a function's folder restarts that function; its neighbour's folder is not its own", () => {
    expect(changeEffect(["/p/handlers/ingest.mjs"], functions)).toEqual({ kind: "restart-functions", functions: ["ingest"] });
    expect(changeEffect(["/p/py/report.py", "/p/handlers/x.json"], functions)).toEqual({ kind: "restart-functions", functions: ["ingest", "report"] });
    expect(changeEffect(["/p/handlers-old/a.mjs"], functions)).toEqual({ kind: "reload-definitions" });
  });

  it("a script or JSON file outside them reloads the definitions; other files change nothing", () => {
    expect(changeEffect(["/p/defs.ts"], functions)).toEqual({ kind: "reload-definitions" });
    expect(changeEffect(["/p/lib/names.mts", "/p/handlers/a.mjs"], functions)).toEqual({ kind: "reload-definitions" });
    expect(changeEffect(["/p/README.md", "/p/data.csv"], functions)).toEqual({ kind: "none" });
  });
});
