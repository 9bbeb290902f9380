/**
 * The private channel between the emulator and one of its workers: a socket pair the worker inherits as fd 3,
 * carrying the Lambda Runtime API's exchanges (next event, response, error, init error) as frames. No other
 * process can reach it, and it costs one message each way per invocation where HTTP cost four (bench/emulator.js).
 *
 * A frame is `u32 header length, u32 body length` (little-endian), a JSON header, then the body's bytes. The
 * bootstraps in runtimes/ write the same frames.
 */

export interface Frame {
  header: Record<string, unknown>;
  /** "too-large" when the body passed the reader's limit (its bytes were skipped, never held). */
  body: Buffer | "too-large";
}

const PREFIX_BYTES = 8;
/** A header is a handful of short fields; anything bigger is not a bootstrap talking. */
const MAX_HEADER_BYTES = 64 * 1024;

export function encodeFrame(header: Record<string, unknown>, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.allocUnsafe(PREFIX_BYTES);
  prefix.writeUInt32LE(head.length, 0);
  prefix.writeUInt32LE(body.length, 4);
  return Buffer.concat([prefix, head, body]);
}

/**
 * Cuts a byte stream into frames, holding at most `bodyLimit` bytes of a body (a bigger one is skipped and
 * reported as "too-large"). `onProblem` is told of a stream that is not frames, after which it reads nothing.
 */
export class FrameReader {
  /** Bytes received and not yet cut into frames, kept as chunks until there are enough for the next step. */
  private chunks: Buffer[] = [];
  private size = 0;
  /** How many bytes the next step needs (the prefix, a header, a body): nothing is joined before. */
  private needed = PREFIX_BYTES;
  /** The frame whose oversized body is being skipped, and how many of its bytes are still to come. */
  private skipping: { header: Record<string, unknown>; remaining: number } | undefined;
  private broken = false;

  constructor(
    private readonly bodyLimit: number,
    private readonly onFrame: (frame: Frame) => void,
    private readonly onProblem: (reason: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    if (this.skipping) {
      const skipped = Math.min(this.skipping.remaining, chunk.length);
      this.skipping.remaining -= skipped;
      if (this.skipping.remaining > 0) return;
      const { header } = this.skipping;
      this.skipping = undefined;
      this.onFrame({ header, body: "too-large" });
      chunk = chunk.subarray(skipped);
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size < this.needed) return;
    let data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    this.size = 0;
    this.needed = PREFIX_BYTES;
    while (data.length >= PREFIX_BYTES) {
      const headerBytes = data.readUInt32LE(0);
      const bodyBytes = data.readUInt32LE(4);
      if (headerBytes > MAX_HEADER_BYTES) return this.fail(`a frame header of ${headerBytes} bytes`);
      const bodyStart = PREFIX_BYTES + headerBytes;
      const tooLarge = bodyBytes > this.bodyLimit;
      const end = bodyStart + (tooLarge ? 0 : bodyBytes);
      if (data.length < end) {
        this.needed = end;
        break;
      }
      let header: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(data.toString("utf8", PREFIX_BYTES, bodyStart));
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return this.fail("a frame header that is not an object");
        header = parsed as Record<string, unknown>;
      } catch {
        return this.fail("a frame header that is not JSON");
      }
      if (tooLarge) {
        this.skipping = { header, remaining: bodyBytes };
        return this.push(data.subarray(bodyStart));
      }
      // A copy: the frame outlives the chunk it came in.
      const body = Buffer.from(data.subarray(bodyStart, end));
      data = data.subarray(end);
      this.onFrame({ header, body });
    }
    if (data.length > 0) {
      this.chunks.push(data);
      this.size = data.length;
    }
  }

  private fail(reason: string): void {
    this.broken = true;
    this.chunks = [];
    this.onProblem(reason);
  }
}
