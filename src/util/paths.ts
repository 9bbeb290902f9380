import { relative } from "node:path";

/** A path relative to the working directory when it is below it, absolute otherwise. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel === "") return ".";
  return rel.startsWith("..") ? path : rel;
}
