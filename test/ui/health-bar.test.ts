// The graph's health bar for a partitioned asset (issue 28): every state with partitions shows, at least a pixel
// wide, and the segments fill the bar exactly, however many partitions there are.
import { describe, expect, it } from "vitest";
import { healthSegments } from "../../src/ui/page/health.js";

const WIDTH = 230;

function check(counts: { materialized: number; failed: number; missing: number }) {
  const segments = healthSegments(counts, WIDTH);
  expect(segments.map((s) => s.state)).toEqual((["materialized", "failed", "missing"] as const).filter((s) => counts[s] > 0));
  for (const s of segments) expect(s.width).toBeGreaterThanOrEqual(1);
  // Side by side, no overlap, the last ends at the bar's end.
  let end = 0;
  for (const s of segments) {
    expect(s.x).toBeCloseTo(end, 6);
    end = s.x + s.width;
  }
  const last = segments.at(-1)!;
  expect(last.x + last.width).toBeCloseTo(WIDTH, 6);
  return segments;
}

describe("the health bar's segments", () => {
  it("one failed and one missing partition of 10,000 each show, a pixel or more, inside the bar", () => {
    const [, failed, missing] = check({ materialized: 9998, failed: 1, missing: 1 });
    expect(failed!.width).toBeGreaterThanOrEqual(1);
    expect(missing!.width).toBeGreaterThanOrEqual(1);
  });

  it("sizes follow the counts", () => {
    const [m, f, x] = check({ materialized: 39, failed: 1, missing: 10 });
    expect(m!.width).toBeGreaterThan(x!.width);
    expect(x!.width).toBeGreaterThan(f!.width);
  });

  it("a bar of one state is the whole bar", () => {
    expect(check({ materialized: 0, failed: 0, missing: 50 })).toEqual([{ state: "missing", count: 50, x: 0, width: WIDTH }]);
  });
});
