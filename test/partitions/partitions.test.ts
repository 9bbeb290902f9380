import { describe, expect, it } from "vitest";
import { validatePartitions, type Partitions } from "../../src/partitions/definition.js";
import { partitionKeys, resolveRequest, windowOf } from "../../src/partitions/keys.js";
import { parseRange } from "../../src/partitions/request.js";

const now = new Date("2024-06-15T12:00:00Z");
const valid = (raw: unknown): Partitions => {
  const problems: string[] = [];
  const p = validatePartitions(raw, (m) => problems.push(m));
  expect(problems).toEqual([]);
  return p!;
};

// Figures as Dagster 1.x computes them (DailyPartitionsDefinition etc. with their default offsets and formats).
describe("time-window partitions as Dagster defines them", () => {
  it("daily: keys from start, end exclusive, windows in UTC with +00:00", () => {
    const daily = valid({ type: "daily", start: "2024-01-01", end: "2024-01-11" });
    const keys = partitionKeys(daily, now);
    expect(keys).toHaveLength(10);
    expect([keys[0], keys[9]]).toEqual(["2024-01-01", "2024-01-10"]);
    expect(windowOf(daily, "2024-01-03", "2024-01-03")).toEqual({ start: "2024-01-03T00:00:00+00:00", end: "2024-01-04T00:00:00+00:00" });
    expect(windowOf(daily, "2024-01-03", "2024-01-05")).toEqual({ start: "2024-01-03T00:00:00+00:00", end: "2024-01-06T00:00:00+00:00" });
  });

  it("without end, only windows that have ended by now", () => {
    const keys = partitionKeys(valid({ type: "daily", start: "2024-06-10" }), now);
    expect(keys).toEqual(["2024-06-10", "2024-06-11", "2024-06-12", "2024-06-13", "2024-06-14"]);
  });

  it("hourly keys look like 2024-01-01-13:00", () => {
    const hourly = valid({ type: "hourly", start: "2024-01-01-10:00", end: "2024-01-01-13:00" });
    expect(partitionKeys(hourly, now)).toEqual(["2024-01-01-10:00", "2024-01-01-11:00", "2024-01-01-12:00"]);
    expect(windowOf(hourly, "2024-01-01-12:00", "2024-01-01-12:00")).toEqual({ start: "2024-01-01T12:00:00+00:00", end: "2024-01-01T13:00:00+00:00" });
  });

  it("weekly windows start on Sunday, the first one at or after start; monthly on the 1st", () => {
    // 2024-01-01 is a Monday: Dagster's first weekly partition is Sunday 2024-01-07.
    expect(partitionKeys(valid({ type: "weekly", start: "2024-01-01", end: "2024-01-22" }), now)).toEqual(["2024-01-07", "2024-01-14"]);
    const monthly = valid({ type: "monthly", start: "2024-01-15", end: "2024-05-01" });
    expect(partitionKeys(monthly, now)).toEqual(["2024-02-01", "2024-03-01", "2024-04-01"]);
    expect(windowOf(monthly, "2024-02-01", "2024-02-01")).toEqual({ start: "2024-02-01T00:00:00+00:00", end: "2024-03-01T00:00:00+00:00" });
  });

  it("a time zone: offsets as Python's isoformat, a DST day is 23 hours", () => {
    const la = valid({ type: "daily", start: "2024-03-09", end: "2024-03-12", timezone: "America/Los_Angeles" });
    expect(windowOf(la, "2024-03-10", "2024-03-10")).toEqual({ start: "2024-03-10T00:00:00-08:00", end: "2024-03-11T00:00:00-07:00" });
  });

  it("static lists and their problems", () => {
    expect(partitionKeys(valid(["eu", "us"]), now)).toEqual(["eu", "us"]);
    const problems: string[] = [];
    validatePartitions(["eu", "eu", 3], (m) => problems.push(m));
    validatePartitions({ type: "daly", start: "2024-13-01", timezone: "Mars/Olympus" }, (m) => problems.push(m));
    validatePartitions({ type: "daily", start: "2024-02-30" }, (m) => problems.push(m));
    expect(problems.join("\n")).toMatch(/non-empty strings/);
    expect(problems.join("\n")).toMatch(/duplicate key "eu"/);
    expect(problems.join("\n")).toMatch(/Mars\/Olympus" is not an IANA time zone/);
    expect(problems.join("\n")).toMatch(/start "2024-02-30" must be a date/);
  });

  it("names each duplicated key once, in the order its first repeat comes, and keeps each key once", () => {
    const problems: string[] = [];
    const keys = ["b", "a", "b", "c", "a", "b", ...Array.from({ length: 20_000 }, (_, i) => `k${i}`)];
    expect(validatePartitions(keys, (m) => problems.push(m))).toEqual({ kind: "static", keys: ["b", "a", "c", ...keys.slice(6)] });
    expect(problems).toEqual(['partitions: duplicate keys "b", "a"']);
  });
});

describe("what --partition, --partition-range and --all-partitions select", () => {
  const daily = valid({ type: "daily", start: "2024-01-01", end: "2024-01-11" });
  it("a key, a range (Dagster's START...END), all", () => {
    expect(resolveRequest(daily, { kind: "key", key: "2024-01-02" }, now)).toEqual({ keys: ["2024-01-02"] });
    expect(parseRange("2024-01-02...2024-01-04")).toEqual({ start: "2024-01-02", end: "2024-01-04" });
    expect(parseRange("2024-01-02..2024-01-04")).toBeNull();
    expect(resolveRequest(daily, { kind: "range", start: "2024-01-02", end: "2024-01-04" }, now)).toEqual({ keys: ["2024-01-02", "2024-01-03", "2024-01-04"] });
    expect(resolveRequest(daily, { kind: "all" }, now)).toMatchObject({ keys: expect.arrayContaining(["2024-01-10"]) });
  });
  it("an unknown key or a range outside the definition says what exists", () => {
    expect(resolveRequest(daily, { kind: "key", key: "2024-01-11" }, now)).toEqual({ error: 'has no partition "2024-01-11"; its partitions run 2024-01-01…2024-01-10 (10)' });
    expect(resolveRequest(daily, { kind: "key", key: "Jan 3" }, now)).toMatchObject({ error: expect.stringContaining("a daily key looks like 2024-01-01") });
    expect(resolveRequest(daily, { kind: "range", start: "2024-01-05", end: "2024-01-02" }, now)).toMatchObject({ error: expect.stringContaining("ends before it starts") });
    expect(resolveRequest(daily, { kind: "range", start: "2023-12-30", end: "2024-01-02" }, now)).toMatchObject({ error: expect.stringContaining('no partition "2023-12-30"') });
  });
});
