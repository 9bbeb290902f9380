/**
 * A function's layers as Lambda's runtimes see them, without writing to the machine's /opt. On Lambda the layers
 * are extracted into /opt in order, a later one overwriting an earlier one's files; the runtimes then search
 * (AWS's "Layer paths for each Lambda runtime" and the runtimes' environment variables):
 *   Node.js  NODE_PATH=/opt/nodejs/nodeN/node_modules:/opt/nodejs/node_modules:...
 *   Python   sys.path=[/var/task, /opt/python/lib/python3.X/site-packages, /opt/python, ...]
 *   all      PATH=...:/opt/bin, LD_LIBRARY_PATH=...:/opt/lib
 * Here each layer stays in its own folder, and each /opt path becomes one entry per layer, the later layer's
 * first, so that the later layer wins where two hold the same package. ES modules ignore NODE_PATH: the Node.js
 * bootstrap resolves a bare `import` it cannot find through the same entries (runtimes/layer-resolve.mjs).
 */
import { join } from "node:path";
import { nodeMajorOf } from "../facts/runtimes.js";
import { isPythonRuntime } from "../facts/lambda.js";

/** The variables a sandbox gets for these layer folders (absolute, in the function's order), merged with `env`. */
export function layerEnvironment(layers: readonly string[] | undefined, runtime: string, env: Record<string, string>): Record<string, string> {
  if (!layers || layers.length === 0) return {};
  const latestFirst = [...layers].reverse();
  const joined = (entries: string[], existing: string | undefined, after: boolean) =>
    (after ? [existing, ...entries] : [...entries, existing]).filter((e): e is string => Boolean(e)).join(":");
  const out: Record<string, string> = {
    PATH: joined(latestFirst.map((l) => join(l, "bin")), env.PATH, true),
    LD_LIBRARY_PATH: joined(latestFirst.map((l) => join(l, "lib")), env.LD_LIBRARY_PATH, true),
  };
  if (isPythonRuntime(runtime)) {
    const version = runtime.replace(/^python/, "");
    const entries = [...latestFirst.map((l) => join(l, "python", "lib", `python${version}`, "site-packages")), ...latestFirst.map((l) => join(l, "python"))];
    // The bootstrap keeps PYTHONPATH's entries right after the function's folder (and its built requirements).
    out.PYTHONPATH = joined(entries, env.PYTHONPATH, false);
  } else {
    const major = nodeMajorOf(runtime);
    const entries = [...(major === undefined ? [] : latestFirst.map((l) => join(l, "nodejs", `node${major}`, "node_modules"))), ...latestFirst.map((l) => join(l, "nodejs", "node_modules"))];
    out.NODE_PATH = joined(entries, env.NODE_PATH, false);
  }
  return out;
}
