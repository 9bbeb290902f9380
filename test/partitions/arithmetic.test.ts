// Time partitions by arithmetic (count, key at an index, index of a key) against listing every window one step
// at a time, as Dagster does, across DST changes; and a run of a few keys no longer lists all of them.
import { DateTime } from "luxon";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KEY_FORMAT, type Partitions, validatePartitions } from "../../src/partitions/definition.js";
import { partitionSpace, resolveRequest, summarizePartitions } from "../../src/partitions/keys.js";

const valid = (raw: unknown): Partitions => {
  const problems: string[] = [];
  const p = validatePartitions(raw, (m) => problems.push(m));
  expect(problems).toEqual([]);
  return p!;
};

/** The listing oracle: every window from the first boundary at or after start, one boundary at a time. */
function listed(p: Extract<Partitions, { kind: "time" }>, now: Date): string[] {
  const unit = { hourly: "hours", daily: "days", weekly: "weeks", monthly: "months" } as const;
  const wall = (text: string) => DateTime.fromISO(text.replace(" ", "T"), { zone: p.timezone });
  const floor = (t: DateTime) => {
    if (p.cadence === "hourly") return t.startOf("hour");
    if (p.cadence === "daily") return t.startOf("day");
    if (p.cadence === "monthly") return t.startOf("month");
    const day = t.startOf("day");
    return day.minus({ days: day.weekday % 7 });
  };
  const start = wall(p.start);
  let t = floor(start) < start ? floor(start).plus({ [unit[p.cadence]]: 1 }) : floor(start);
  const limit = p.end ? wall(p.end) : DateTime.fromJSDate(now, { zone: p.timezone });
  const keys: string[] = [];
  // Each next window starts on its own boundary: where midnight does not exist (Santiago's DST day starts at 01:00),
  // the days after it start at midnight again (stepping from 01:00 drifted every later window by an hour).
  const step = (at: DateTime) => floor(at.plus({ [unit[p.cadence]]: 1 }));
  for (let after = step(t); after <= limit; t = after, after = step(t)) keys.push(t.toFormat(KEY_FORMAT[p.cadence]));
  return keys;
}

const ZONES = ["UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "Pacific/Chatham"];
const SPANS: Array<[string, string, string | null]> = [
  ["hourly", "2023-03-10", "2023-03-14"],
  ["hourly", "2023-10-27 05:30", "2023-11-07"],
  ["daily", "2022-01-01", "2024-12-31"],
  ["daily", "2023-09-01 12:00", null],
  ["weekly", "2019-01-02", "2024-06-01"],
  ["monthly", "2015-01-15", null],
];

describe("time partitions computed, not listed", () => {
  it("count, every key by index and every key's index match the window-by-window listing, across DST changes", () => {
    const now = new Date("2024-06-15T12:34:00Z");
    for (const timezone of ZONES) {
      for (const [type, start, end] of SPANS) {
        const p = valid({ type, start, ...(end ? { end } : {}), timezone }) as Extract<Partitions, { kind: "time" }>;
        const keys = listed(p, now);
        const space = partitionSpace(p, now);
        const where = `${type} ${start}…${end ?? "now"} in ${timezone}`;
        expect(space.count, where).toBe(keys.length);
        expect(space.between(0, space.count - 1), where).toEqual(keys);
        // A fall-back hour's key names two windows: the later one, as the listing's index (a Map of keys) had it.
        const index = new Map(keys.map((key, i) => [key, i]));
        for (const [key, i] of index) expect(space.indexOf(key), `${where}: ${key}`).toBe(i);
        expect(summarizePartitions(p, now), where).toMatchObject({ count: keys.length, first: keys[0] ?? null, last: keys.at(-1) ?? null });
      }
    }
  });

  it("refuses keys outside the definition, off the boundary or of another format", () => {
    const p = valid({ type: "daily", start: "2024-01-01", end: "2024-02-01" });
    const space = partitionSpace(p, new Date("2024-06-15T00:00:00Z"));
    for (const key of ["2023-12-31", "2024-02-01", "2024-1-05", "2024-01-05-10:00", "tomorrow"]) expect(space.indexOf(key), key).toBeNull();
    expect(space.indexOf("2024-01-31")).toBe(30);
  });

  describe("a run of a few keys of an hourly asset since 2019", () => {
    afterEach(() => vi.restoreAllMocks());

    it("formats the keys it shows, not the 60,000 it could (pipes list, --partition, --partition-range)", () => {
      const p = valid({ type: "hourly", start: "2019-01-01" });
      const now = new Date("2026-01-01T00:00:00Z");
      const formatted = vi.spyOn(DateTime.prototype, "toFormat");
      expect(summarizePartitions(p, now)).toMatchObject({ count: 61368, first: "2019-01-01-00:00", last: "2025-12-31-23:00" });
      expect(resolveRequest(p, { kind: "range", start: "2024-03-01-00:00", end: "2024-03-01-09:00" }, now)).toEqual({
        keys: Array.from({ length: 10 }, (_, h) => `2024-03-01-${String(h).padStart(2, "0")}:00`),
      });
      expect(resolveRequest(p, { kind: "key", key: "2025-12-31-23:00" }, now)).toEqual({ keys: ["2025-12-31-23:00"] });
      expect(formatted.mock.calls.length).toBeLessThan(100);
    });
  });
});
