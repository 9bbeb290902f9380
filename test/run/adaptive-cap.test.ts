import { describe, expect, it } from "vitest";
import { AdaptiveCap } from "../../src/run/adaptive-cap.js";

describe("AdaptiveCap", () => {
  it("halves on a throttle, once for a burst, never below 1, and grows back by one per cap-full of ends up to the max", () => {
    let now = 0;
    const cap = new AdaptiveCap(8, () => now);
    expect(cap.value).toBe(8);
    cap.throttled();
    cap.throttled(); // the same burst
    expect(cap.value).toBe(4);
    now += 1000;
    cap.throttled();
    expect(cap.value).toBe(2);
    for (let i = 0; i < 3; i++, now += 1000) cap.throttled();
    expect(cap.value).toBe(1);
    cap.ended();
    expect(cap.value).toBe(2); // 1 + 1/1
    cap.ended();
    cap.ended();
    expect(cap.value).toBe(2); // 2 + 1/2 + 1/2.5 = 2.9: about a cap-full of ends per step up
    cap.ended();
    expect(cap.value).toBe(3); // 2.9 + 1/2.9
    for (let i = 0; i < 200; i++) cap.ended();
    expect(cap.value).toBe(8);
  });
});
