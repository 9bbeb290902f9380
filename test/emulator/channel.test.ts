// The worker channel's frames: cut right however the bytes arrive, bounded in memory, and a stream that is not
// frames stops the reader instead of being guessed at.
import { describe, expect, it } from "vitest";
import { encodeFrame, type Frame, FrameReader } from "../../src/emulator/channel.js";

function reader(limit = 1024) {
  const frames: Frame[] = [];
  const problems: string[] = [];
  const r = new FrameReader(limit, (f) => frames.push(f), (p) => problems.push(p));
  return { r, frames, problems };
}

describe("the worker channel's frames", () => {
  it("come out whole whether they arrive byte by byte or several in one chunk", () => {
    const bytes = Buffer.concat([encodeFrame({ t: "next" }), encodeFrame({ t: "response", id: "a" }, Buffer.from('{"ok":1}')), encodeFrame({ t: "next" })]);
    const whole = reader();
    whole.r.push(bytes);
    const split = reader();
    for (const byte of bytes) split.r.push(Buffer.from([byte]));
    for (const { frames } of [whole, split]) {
      expect(frames.map((f) => f.header.t)).toEqual(["next", "response", "next"]);
      expect(frames[1]!.body.toString()).toBe('{"ok":1}');
    }
  });

  it("skip a body past the limit without holding it, say it was too large, and go on with the next frame", () => {
    const { r, frames, problems } = reader(10);
    const big = encodeFrame({ t: "response", id: "a" }, Buffer.alloc(5000, 120));
    for (let i = 0; i < big.length; i += 700) r.push(big.subarray(i, i + 700));
    r.push(encodeFrame({ t: "next" }));
    expect(frames.map((f) => [f.header.t, f.body === "too-large" ? "too-large" : f.body.length])).toEqual([
      ["response", "too-large"],
      ["next", 0],
    ]);
    expect(problems).toEqual([]);
  });

  it("stop at a header that is not a JSON object, or too big to be one", () => {
    const notJson = reader();
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32LE(3, 0);
    notJson.r.push(Buffer.concat([prefix, Buffer.from("abc"), encodeFrame({ t: "next" })]));
    expect(notJson.problems).toEqual(["a frame header that is not JSON"]);
    expect(notJson.frames).toEqual([]);

    const huge = reader();
    prefix.writeUInt32LE(1 << 30, 0);
    huge.r.push(prefix);
    expect(huge.problems).toEqual([`a frame header of ${1 << 30} bytes`]);
  });
});
