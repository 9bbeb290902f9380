import { describe, expect, it } from "vitest";
import { fn, invoke, withEmulator } from "../helpers/emulator.js";

const field = (report: string, name: string) => Number(new RegExp(`\\t${name}: ([\\d.]+)`).exec(`\t${report}`)?.[1]);
/** `ms` rounded up, as printed figures (two decimals) allow: within their rounding. */
const roundedUp = (ms: number) => [Math.ceil(ms - 0.01), Math.ceil(ms + 0.01)];

describe("the REPORT line's Billed Duration", () => {
  it("is a cold start's init and duration together (Lambda bills INIT since August 2025), a warm one's duration, rounded up", async () => {
    await withEmulator([fn("sleep", "node/sleep.handler", { concurrency: 1 })], async (_emulator, lambda) => {
      const reportOf = async () => (await invoke(lambda, "sleep", { ms: 20 })).log.find((l) => l.startsWith("REPORT "))!;
      const cold = await reportOf();
      const init = field(cold, "Init Duration");
      expect(init).toBeGreaterThan(0);
      expect(roundedUp(field(cold, "Duration") + init)).toContain(field(cold, "Billed Duration"));
      const warm = await reportOf();
      expect(warm).not.toMatch(/Init Duration/);
      expect(roundedUp(field(warm, "Duration"))).toContain(field(warm, "Billed Duration"));
    });
  });
});
