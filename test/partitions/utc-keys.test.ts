// The UTC fast path of listing time keys (Date arithmetic, not luxon's calendar steps) gives the keys luxon gives.
import { describe, expect, it } from "vitest";
import { timeKeyAt, timeKeysBetween, timeSpan } from "../../src/partitions/time.js";

describe("timeKeysBetween in UTC", () => {
  const cases = [
    ["hourly", "UTC", "2019-01-01", null],
    ["daily", "UTC", "1999-12-30", null],
    ["hourly", "Etc/UTC", "2024-02-28-22:00", null],
    ["daily", "GMT", "2020-02-27", null],
    ["hourly", "UTC", "1969-12-30-05:00", "1970-01-03"], // before the epoch: negative milliseconds
  ] as const;
  for (const [cadence, timezone, start, end] of cases) {
    it(`${cadence} from ${start} in ${timezone}: every key as luxon formats it`, () => {
      const p = { kind: "time", cadence, start, end, timezone } as const;
      const span = timeSpan(p, new Date("2026-12-05T17:00:00Z"));
      const keys = timeKeysBetween(p, span, 0, span.count - 1);
      expect(keys.length).toBe(span.count);
      for (let i = 0; i < span.count; i += span.count > 1000 ? 13 : 1) expect(keys[i]).toBe(timeKeyAt(p, span, i));
      expect(keys.at(-1)).toBe(timeKeyAt(p, span, span.count - 1));
      expect(timeKeysBetween(p, span, 5, 9)).toEqual([5, 6, 7, 8, 9].map((i) => timeKeyAt(p, span, i)));
    });
  }
});
