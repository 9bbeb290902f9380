// The runtime calendar: where each runtime stands on a day, and what pipes says about it.
import { describe, expect, it } from "vitest";
import {
  blockedBecause,
  blockedRuntimeMessage,
  DEFAULT_PYTHON_RUNTIME,
  DEFAULT_RUNTIME,
  deprecationNotice,
  RUNTIME_CALENDAR,
  runtimeStanding,
  successorOf,
} from "../../src/facts/runtimes.js";

describe("the runtime calendar", () => {
  it("puts each stage on its first day, and knows retired and foreign names apart", () => {
    expect(runtimeStanding("nodejs20.x", "2026-04-29")).toBe("supported");
    expect(runtimeStanding("nodejs20.x", "2026-04-30")).toBe("deprecated");
    expect(runtimeStanding("nodejs20.x", "2027-02-01")).toBe("create-blocked");
    expect(runtimeStanding("nodejs20.x", "2027-03-03")).toBe("update-blocked");
    expect(runtimeStanding("nodejs12.x", "2026-12-04")).toBe("retired");
    expect(runtimeStanding("java21", "2026-12-04")).toBe("unknown");
  });

  it("has its dates in order for every runtime, and defaults that are supported today and for a year", () => {
    for (const r of RUNTIME_CALENDAR) {
      expect(r.deprecation < r.blockCreate && r.blockCreate < r.blockUpdate, r.id).toBe(true);
    }
    for (const day of ["2026-12-04", "2027-12-04"]) {
      expect(runtimeStanding(DEFAULT_RUNTIME, day)).toBe("supported");
      expect(runtimeStanding(DEFAULT_PYTHON_RUNTIME, day)).toBe("supported");
    }
  });

  it("names the dates and the runtime to move to, and says nothing of a supported runtime", () => {
    expect(deprecationNotice("nodejs24.x", "2026-12-04")).toBeNull();
    expect(deprecationNotice("nodejs20.x", "2026-12-04")).toBe(
      "nodejs20.x is deprecated on AWS Lambda (deprecated 2026-04-30, creating functions blocked from 2027-02-01, updating them from 2027-03-03): AWS no longer patches it; move to nodejs24.x",
    );
    expect(deprecationNotice("python3.10", "2027-02-10")).toMatch(/AWS no longer allows creating its functions; move to python3.14$/);
    // The successor is the newest runtime still supported that day.
    expect(successorOf("nodejs20.x", "2028-05-01")).toBe("nodejs24.x");
    expect(successorOf("nodejs22.x", "2027-05-01")).toBe("nodejs24.x");
  });

  it("blocks creating before updating, as AWS does", () => {
    expect(blockedBecause("nodejs20.x", "create", "2027-01-31")).toBeNull();
    expect(blockedBecause("nodejs20.x", "create", "2027-02-01")).toBe("AWS Lambda refuses creating nodejs20.x functions since 2027-02-01: move to nodejs24.x");
    expect(blockedBecause("nodejs20.x", "update", "2027-02-01")).toBeNull();
    expect(blockedBecause("nodejs20.x", "update", "2027-03-03")).toMatch(/refuses updating nodejs20\.x functions since 2027-03-03/);
    expect(blockedBecause("nodejs12.x", "update", "2026-12-04")).toBe("AWS Lambda refuses updating nodejs12.x functions: move to nodejs24.x");
    expect(blockedRuntimeMessage("nodejs12.x", "2026-12-04")).toMatch(/^The runtime parameter of nodejs12\.x is no longer supported for creating or updating AWS Lambda functions\./);
  });
});
