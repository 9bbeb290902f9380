import { describe, expect, it } from "vitest";
import { formatUsd, invocationCost, pricedRegion } from "../../src/facts/pricing.js";

describe("invocationCost", () => {
  it("is GB-seconds at the architecture's price plus a request, worked by hand from the price table", () => {
    // 512 MB for 100 ms = 0.05 GB-s; × $0.0000166667 = $0.000000833335; + $0.0000002 a request.
    expect(invocationCost({ billedMs: 100, memoryMb: 512, architecture: "x86_64", region: "us-east-1" })).toBeCloseTo(0.000001033335, 15);
    // arm64: 0.05 GB-s × $0.0000133334 = $0.00000066667; + $0.0000002.
    expect(invocationCost({ billedMs: 100, memoryMb: 512, architecture: "arm64", region: "us-east-1" })).toBeCloseTo(0.00000086667, 15);
    // 128 MB for 1 ms = 0.000125 GB-s × $0.0000166667 = $0.0000000020833375; the request dominates.
    expect(invocationCost({ billedMs: 1, memoryMb: 128, architecture: "x86_64", region: "us-east-1" })).toBeCloseTo(0.0000002020833375, 15);
    // 10,240 MB for 900 s (the largest invocation) = 9,000 GB-s × $0.0000166667 = $0.1500003; + $0.0000002.
    expect(invocationCost({ billedMs: 900_000, memoryMb: 10240, architecture: "x86_64", region: "us-east-1" })).toBeCloseTo(0.1500005, 9);
  });

  it("prices a region it has no prices for (and the emulator's runs) at US East's, and says so", () => {
    expect(invocationCost({ billedMs: 100, memoryMb: 512, architecture: "x86_64", region: "ap-south-2" })).toEqual(invocationCost({ billedMs: 100, memoryMb: 512, architecture: "x86_64", region: "us-east-1" }));
    expect(invocationCost({ billedMs: 100, memoryMb: 512, architecture: "x86_64", region: null })).toEqual(invocationCost({ billedMs: 100, memoryMb: 512, architecture: "x86_64", region: "us-east-1" }));
    expect(pricedRegion(null)).toBe("us-east-1");
    expect(pricedRegion("ap-south-2")).toBe("us-east-1");
  });
});

describe("formatUsd", () => {
  it("shows two significant digits below a cent and cents above", () => {
    expect(formatUsd(0.000001033335)).toBe("$0.0000010");
    expect(formatUsd(0.00000020208334)).toBe("$0.00000020");
    expect(formatUsd(0.031)).toBe("$0.03");
    expect(formatUsd(0.0031)).toBe("$0.0031");
    expect(formatUsd(1.256)).toBe("$1.26");
    expect(formatUsd(0)).toBe("$0");
  });
});
