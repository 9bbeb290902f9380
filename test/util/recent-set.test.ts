import { describe, expect, it } from "vitest";
import { RecentSet } from "../../src/util/recent-set.js";

describe("RecentSet", () => {
  it("remembers at least the last limit / 2 values and at most limit, forgetting the oldest first", () => {
    const seen = new RecentSet<number>(10);
    for (let i = 0; i < 23; i++) seen.add(i);
    const kept = Array.from({ length: 23 }, (_, i) => i).filter((i) => seen.has(i));
    expect(kept.length).toBeGreaterThanOrEqual(5);
    expect(kept.length).toBeLessThanOrEqual(10);
    // What it keeps is the newest, without gaps.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 23 - kept.length + i));
  });

  it("keeps a value added again", () => {
    const seen = new RecentSet<string>(4);
    seen.add("a");
    for (const v of ["b", "c", "a", "d"]) seen.add(v);
    expect(seen.has("a")).toBe(true);
    expect(seen.has("zz")).toBe(false);
  });
});
