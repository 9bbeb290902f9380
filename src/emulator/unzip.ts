/**
 * Unpacks an uploaded zip into a function's code folder off the event loop: a zip of 100,000 small entries takes
 * seconds to write, and every other invocation would wait for it. The work is in unzip-thread.mjs, run in a worker
 * thread; the entry count is bounded, as the bytes are (Lambda's limit), so no upload can keep it busy for long.
 */
import { Worker } from "node:worker_threads";
import { UNZIPPED_CODE_LIMIT } from "../facts/lambda.js";

/** The most entries an upload may hold; an npm project's node_modules rarely passes 20,000. */
export const MAX_ZIP_ENTRIES = 50_000;

// From src/emulator (tests) and dist/emulator (the package) alike: the .mjs ships as it is (package.json "files").
const THREAD = new URL("../../src/emulator/unzip-thread.mjs", import.meta.url);

/** Unpacks `zip` under `root` (which must not exist yet); the result is AWS's error message, or null. */
export async function unpackZip(zip: Uint8Array, root: string, limit = UNZIPPED_CODE_LIMIT, maxEntries = MAX_ZIP_ENTRIES): Promise<string | null> {
  // What the zip says it holds refuses most at once; the thread counts what it really holds.
  const declared = declaredEntries(zip);
  if (declared !== undefined && declared > maxEntries) return tooManyEntries(maxEntries);
  // A copy of exactly these bytes moves to the thread (transferred, not copied again). Not Buffer#slice: that is a
  // view, and a small Buffer's backing store is Node's shared pool, which must be neither sent nor detached.
  const bytes = new Uint8Array(zip).buffer;
  return new Promise((resolve) => {
    const thread = new Worker(THREAD, { workerData: { zip: bytes, root, limit, maxEntries }, transferList: [bytes] });
    let answer: string | null | undefined;
    thread.once("message", (problem: string | null) => (answer = problem));
    thread.once("error", (error) => (answer ??= `Could not unzip uploaded file: ${error.message}`));
    thread.once("exit", () => resolve(answer === undefined ? "Could not unzip uploaded file: the unzip stopped early" : answer));
  });
}

/** The words for a zip of too many entries (the thread says the same). */
export const tooManyEntries = (max: number) => `Zip has more than ${max} entries; the emulator unpacks at most ${max}`;

/**
 * The entry count of the zip's end-of-central-directory record (the last 22 bytes, before a comment of at most
 * 64 KB); undefined when there is none, or when it defers to Zip64 (0xFFFF).
 */
export function declaredEntries(zip: Uint8Array): number | undefined {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    const total = view.getUint16(at + 10, true);
    return total === 0xffff ? undefined : total;
  }
  return undefined;
}
