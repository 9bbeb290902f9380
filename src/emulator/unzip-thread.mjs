// Unpacks an uploaded zip into a function's code folder, in a worker thread (see unzip.ts), as it inflates: each
// entry goes to disk in small chunks, and the unzipped bytes and entries are counted while streaming, so a zip bomb
// is refused after at most the limit was written and memory stays bounded by the chunk size, never by what the zip
// claims or holds. Plain JavaScript: a thread runs a file as it ships, under `node` and under the tests alike.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { Unzip, UnzipInflate } from "fflate";

// Compressed bytes fed to the inflater at a time. Deflate expands at most ~1032:1, so one chunk inflates to at
// most ~8 MB held at once.
const CHUNK = 8 * 1024;

/** AWS's words for a zip that cannot be read. */
const unreadable = (error) => `Could not unzip uploaded file. Please check your file, then try to upload again. (${error.message})`;

/** The entry's own name, never the emulator's folder: e.g. a file and a folder of the same name. */
function entryProblem(name, error) {
  const code = error?.code;
  const why = code === "EISDIR" || code === "ENOTDIR" || code === "EEXIST" ? "a file and a folder have the same name" : code ?? "it cannot be written";
  return `Could not unzip uploaded file: entry ${name.slice(0, 200)} cannot be unpacked (${why}).`;
}

/** Unpacks `zip` under `root` (which must not exist yet); the result is AWS's error message, or null. */
function unpack(zip, root, limit, maxEntries) {
  mkdirSync(root, { recursive: true });
  const open = new Set();
  let unzipped = 0;
  let entries = 0;
  let problem = null;
  const fail = (message, file) => {
    problem ??= message;
    file?.terminate();
  };

  const unzip = new Unzip((file) => {
    if (problem) return;
    if (++entries > maxEntries) return fail(`Zip has more than ${maxEntries} entries; the emulator unpacks at most ${maxEntries}`);
    const target = resolve(root, file.name);
    if (!target.startsWith(root + sep)) return fail(`Zip entry ${file.name.slice(0, 200)} points outside the function's folder`);
    let fd;
    try {
      if (file.name.endsWith("/")) {
        mkdirSync(target, { recursive: true });
        return;
      }
      mkdirSync(dirname(target), { recursive: true });
      fd = openSync(target, "w");
    } catch (error) {
      return fail(entryProblem(file.name, error));
    }
    open.add(fd);
    file.ondata = (error, data, final) => {
      if (problem) return;
      if (error) return fail(unreadable(error), file);
      unzipped += data.length;
      if (unzipped > limit) return fail(`Unzipped size must be smaller than ${limit} bytes`, file);
      try {
        writeSync(fd, data);
        if (final) {
          closeSync(fd);
          open.delete(fd);
        }
      } catch (error) {
        fail(entryProblem(file.name, error), file);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);

  try {
    for (let at = 0; at < zip.length && !problem; at += CHUNK) {
      unzip.push(zip.subarray(at, at + CHUNK), at + CHUNK >= zip.length);
    }
    if (zip.length === 0) unzip.push(new Uint8Array(0), true);
  } catch (error) {
    fail(unreadable(error));
  } finally {
    for (const fd of open) closeSync(fd);
  }
  return problem;
}

const { zip, root, limit, maxEntries } = workerData;
parentPort.postMessage(unpack(new Uint8Array(zip), root, limit, maxEntries));
