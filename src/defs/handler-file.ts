/**
 * What a Node.js handler's file holds, read with esbuild without running it (an import would run the user's code):
 * its exports, or where it fails to parse. For the diagnosis of HandlerNotFound and syntax errors; null when the
 * file cannot be read this way (CommonJS exports are not static, a missing file).
 */
import { existsSync, readFileSync } from "node:fs";

/** A place in a source file: the path as shown, the line (from 1), the column (from 0, as esbuild counts) and its text. */
export type SourceAt = { file: string; line: number; column: number; lineText: string };

export type HandlerFile = {
  /** What the file exports (a Python module: the callables it defines); null when unknown. */
  exports: string[] | null;
  syntax: (SourceAt & { text: string }) | null;
  /** The import statement that names what the runtime could not import (Python; a bundle's message says it for Node.js). */
  importAt?: SourceAt | null;
};

export async function inspectHandlerFile(candidates: string[], cwd: string): Promise<HandlerFile | null> {
  const file = candidates.find((c) => existsSync(c));
  if (!file || file.endsWith(".py")) return null;
  const { build } = await import("esbuild");
  try {
    const result = await build({ entryPoints: [file], absWorkingDir: cwd, bundle: false, write: false, metafile: true, format: "esm", platform: "node", logLevel: "silent", outdir: "out" });
    const output = Object.values(result.metafile.outputs)[0];
    // A CommonJS file's exports are only known by running it.
    const esm = !file.endsWith(".cjs") && /(^|[\s;])export\s/m.test(readFileSync(file, "utf8"));
    return { exports: esm ? (output?.exports ?? null) : null, syntax: null };
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string; location: { file: string; line: number; column: number; lineText: string } | null }> }).errors?.[0];
    if (!first?.location) return null;
    return { exports: null, syntax: { file: first.location.file, line: first.location.line, column: first.location.column, lineText: first.location.lineText, text: first.text } };
  }
}
