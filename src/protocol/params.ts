import { deflateSync, inflateSync } from "node:zlib";
import { pythonJsonDumps } from "./python-json.js";

export const PIPES_PROTOCOL_VERSION = "0.1";
export const PIPES_PROTOCOL_VERSION_FIELD = "__dagster_pipes_version";
export const DAGSTER_PIPES_CONTEXT = "DAGSTER_PIPES_CONTEXT";
export const DAGSTER_PIPES_MESSAGES = "DAGSTER_PIPES_MESSAGES";

/**
 * Dagster's `encode_param`: base64 of the zlib container of the UTF-8 bytes of Python's `json.dumps(value)`.
 * The JSON text is byte-for-byte Python's; the deflate stream may differ from a given Python build's
 * (zlib versions differ in their match finding), which every zlib decoder, Dagster's included, accepts.
 * `json.dumps` escapes every character outside space..tilde (ensure_ascii), so the text is ASCII: one byte per
 * character, its UTF-8 bytes are its Latin-1 bytes, and a small one is written straight into the container.
 */
export function encodeParam(value: unknown): string {
  return encodeJsonText(pythonJsonDumps(value));
}

/** encodeParam of a value whose json.dumps text is `text` (ASCII, as json.dumps writes). */
export function encodeJsonText(text: string): string {
  return (text.length <= STORED_UP_TO ? zlibStored(text) : deflateSync(Buffer.from(text, "latin1"), windowFor(text.length))).toString("base64");
}

/**
 * Texts up to this size go into the zlib container stored, not compressed: setting a zlib stream up costs ~10 µs
 * whatever the size, most of encoding a pipes context (~300 bytes, one per invocation of a backfill), to save a
 * hundred bytes of an event that may be 6 MB. Larger texts (big extras) are deflated, where the bytes count.
 */
const STORED_UP_TO = 4096;

/** The zlib container (RFC 1950) of one stored deflate block (RFC 1951 §3.2.4) of an ASCII text: header, block, Adler-32. */
function zlibStored(text: string): Buffer {
  const length = text.length;
  const out = Buffer.allocUnsafe(length + 11);
  out[0] = 0x78; // deflate, 32 KB window
  out[1] = 0x01; // no dictionary, fastest; 0x7801 is a multiple of 31, as the header check requires
  out[2] = 0x01; // the final block, stored
  out.writeUInt16LE(length, 3);
  out.writeUInt16LE(~length & 0xffff, 5);
  out.write(text, 7, length, "latin1");
  out.writeUInt32BE(adler32(out, 7, 7 + length), 7 + length);
  return out;
}

/**
 * Adler-32 of `data[from, to)`, up to STORED_UP_TO bytes: the sums stay exact in a double, so the modulo is taken
 * once. An indexed loop, not for…of: a backfill's first invocations run this before V8 optimizes it, and the
 * iterator protocol per byte made it twice as slow there.
 */
function adler32(data: Buffer, from: number, to: number): number {
  let a = 1;
  let b = 0;
  for (let i = from; i < to; i++) {
    a += data[i]!;
    b += a;
  }
  return ((b % 65521) * 65536 + (a % 65521)) >>> 0;
}

/**
 * A window no bigger than the text (zlib's default is 32 KB, with 256 KB of state per call): a match can never
 * reach past the start of the text, so the result is as small, and a backfill of contexts with extras of a few KB
 * is not a quarter-megabyte allocation per invocation. Every zlib decoder reads the window size from the header.
 */
function windowFor(bytes: number): { windowBits: number; memLevel: number } {
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(bytes + 1))));
  return { windowBits, memLevel: Math.max(1, Math.min(8, windowBits - 6)) };
}

/** Dagster's `decode_param`. Throws a `ParamDecodeError` that says which step failed. */
export function decodeParam(encoded: string): unknown {
  if (typeof encoded !== "string") throw new ParamDecodeError("expected a base64 string");
  let inflated: Buffer;
  try {
    inflated = inflateSync(Buffer.from(encoded, "base64"));
  } catch (error) {
    throw new ParamDecodeError(`not base64 of zlib data (${(error as Error).message})`);
  }
  try {
    return JSON.parse(inflated.toString("utf8"));
  } catch (error) {
    throw new ParamDecodeError(`the inflated text is not JSON (${(error as Error).message})`);
  }
}

export class ParamDecodeError extends Error {
  override name = "ParamDecodeError";
}

/** Context-injector params, as the Lambda event carries them: the context inline. */
export type ContextParams = { data: unknown } | { path: string };
/** Message-writer params; Lambda uses `buffered_stdio: "stderr"`. */
export type MessagesParams =
  | { buffered_stdio: "stderr" | "stdout" }
  | { stdio: "stderr" | "stdout" }
  | { path: string; include_stdio_in_messages?: boolean };
