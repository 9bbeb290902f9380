/**
 * The shape of src/ (issue 29 §8): no import cycles; Lambda's facts and prices a pure leaf folder; reporters
 * independent of the clients and the emulator.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-pipes.js";
import { importCycles, importGraph } from "./imports.js";

const graph = importGraph(join(ROOT, "src"));
const importsOf = (folder: string) => [...graph].filter(([file]) => file.startsWith(`${folder}/`)).flatMap(([file, imports]) => imports.map((to) => `${file} → ${to}`));

describe("the structure of src/", () => {
  it("reads the graph (the test would pass vacuously on an empty one)", () => {
    expect(graph.get("cli/main.ts")).toContain("cli/handle-error.ts");
    expect(graph.size).toBeGreaterThan(100);
  });

  it("has no import cycles", () => {
    expect(importCycles(graph).map((cycle) => cycle.join(" → "))).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const looped = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts", "node:fs"]]]);
    expect(importCycles(looped)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });

  it("src/facts (Lambda's runtimes, limits and prices) imports nothing outside itself", () => {
    expect(importsOf("facts").length).toBeGreaterThan(0);
    expect(importsOf("facts").filter((edge) => !/ → facts\//.test(edge))).toEqual([]);
  });

  it("every module reads Lambda's facts from src/facts", () => {
    const facts = [...graph].flatMap(([file, imports]) => imports.map((to) => `${file} → ${to}`)).filter((edge) => / → facts\/(lambda|pricing)\.ts$/.test(edge));
    for (const folder of ["defs", "emulator", "deploy", "lambda", "report"]) expect(facts.some((edge) => edge.startsWith(`${folder}/`))).toBe(true);
  });

  it("reporters import no Lambda client, emulator, target or deploy module", () => {
    expect(importsOf("report").filter((edge) => / → (lambda|emulator|target|deploy|dev)\//.test(edge))).toEqual([]);
  });
});
