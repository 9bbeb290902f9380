import { join } from "node:path";
import { PYTHON_RUNTIMES, type Runtime } from "./types.js";

/**
 * Splits a handler string as Lambda does: the module is everything before the first dot of the last
 * path segment (`./handlers/orders.handler` → `./handlers/orders` + `handler`; nested exports allowed).
 */
export function splitHandler(handler: string): { module: string; exportPath: string } {
  const slash = handler.lastIndexOf("/");
  const dot = handler.indexOf(".", slash + 1);
  return { module: handler.slice(0, dot), exportPath: handler.slice(dot + 1) };
}

/**
 * The files a handler may live in, in the order the runtime looks for them; then TypeScript, which pipes bundles
 * with esbuild (src/deploy/bundle.ts) before it runs, locally and in the zip.
 */
export function handlerFileCandidates(root: string, handler: string, runtime: Runtime): string[] {
  const base = join(root, splitHandler(handler).module);
  if ((PYTHON_RUNTIMES as readonly string[]).includes(runtime)) return [`${base}.py`];
  return [`${base}.js`, `${base}.mjs`, `${base}.cjs`, `${base}.ts`, `${base}.mts`, `${base}.cts`];
}
