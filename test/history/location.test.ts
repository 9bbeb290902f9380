import { describe, expect, it } from "vitest";
import { runFileName } from "../../src/history/location.js";

describe("run file names", () => {
  it("sort by start time to the millisecond, whatever the run ids (two runs in one second: last is the newest)", () => {
    const earlier = runFileName("ffffffff-0000-4000-8000-000000000000", "2024-12-02T18:59:37.100Z");
    const later = runFileName("00000000-0000-4000-8000-000000000000", "2024-12-02T18:59:37.900Z");
    const nextSecond = runFileName("11111111-0000-4000-8000-000000000000", "2024-12-02T18:59:38.000Z");
    expect([nextSecond, later, earlier].sort()).toEqual([earlier, later, nextSecond]);
    expect(later).toBe("20241202T185937.900Z-00000000-0000-4000-8000-000000000000.ndjson");
  });
});
