/**
 * What a batch of changed files means for a `pipes dev` session. Pure.
 *
 * A file inside a function's folder is that function's code: its warm workers restart, so the next invocation
 * loads it fresh. Any other script or JSON file may be the definitions file or something it imports: the
 * definitions reload (which registers every function again). Anything else (data, docs) changes nothing.
 */
import { sep } from "node:path";

export type ChangeEffect =
  | { kind: "reload-definitions" }
  | { kind: "restart-functions"; functions: string[] }
  | { kind: "none" };

const DEFINITIONS_SOURCE = /\.(m|c)?[jt]s$|\.json$/;

export function changeEffect(files: string[], functions: Array<{ name: string; codeRoot: string }>): ChangeEffect {
  const inFolder = (file: string, folder: string) => file.startsWith(folder + sep);
  const outside = files.filter((f) => !functions.some((fn) => inFolder(f, fn.codeRoot)) && DEFINITIONS_SOURCE.test(f));
  if (outside.length > 0) return { kind: "reload-definitions" };
  const touched = functions.filter((fn) => files.some((f) => inFolder(f, fn.codeRoot))).map((fn) => fn.name);
  return touched.length > 0 ? { kind: "restart-functions", functions: touched } : { kind: "none" };
}
