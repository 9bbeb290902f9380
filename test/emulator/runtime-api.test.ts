// The Runtime API is each worker's own: another local process cannot take a worker's events or answer for it.
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { fn, invoke, withEmulator } from "../helpers/emulator.js";

function get(url: string, method = "GET", timeoutMs = 1500): Promise<number | "no answer"> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve("no answer");
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the Runtime API", () => {
  it("gives each worker an unguessable path, and refuses guessed ones", () =>
    withEmulator([fn("esm", "node/esm.handler"), fn("other", "node/esm.handler")], async (emulator, lambda) => {
      const a = await invoke(lambda, "esm", {});
      const b = await invoke(lambda, "other", {});
      const pathOf = (r: typeof a) => (r.payload.env.AWS_LAMBDA_RUNTIME_API as string).replace(/^127\.0\.0\.1:\d+/, "");
      expect(pathOf(a)).toMatch(/^\/w\/[0-9a-f]{32}$/);
      expect(pathOf(a)).not.toBe(pathOf(b));
      // Small numbers were the ids once: /w/1 would have handed this process the next event of a warm worker.
      for (const id of ["1", "2", "3"]) {
        expect(await get(`${emulator.url}/w/${id}/2018-06-01/runtime/invocation/next`)).toBe(410);
        expect(await get(`${emulator.url}/w/${id}/2018-06-01/runtime/invocation/x/response`, "POST")).toBe(410);
      }
      // And the warm workers still serve their own functions.
      expect((await invoke(lambda, "esm", {})).payload.invocations).toBe(2);
      expect((await invoke(lambda, "other", {})).payload.invocations).toBe(2);
    }));
});
