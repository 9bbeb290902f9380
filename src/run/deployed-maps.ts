/**
 * Source maps of the bundles deploy-handler uploaded, kept under the project's .pipes/sourcemaps/<function>/ (the
 * zip holds no map unless --sourcemap asks), so that a stack from the deployed bundle — `/var/task/index.js:12:7` on
 * Lambda — is shown at the user's own file and line (src/report/frames.ts). A map is of the last bundle deployed
 * from this project: code changed since then maps to where the deployed code was.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, join, resolve } from "node:path";

export type DeployedPosition = { file: string; line: number; column: number };

const mapFile = (defsFile: string, functionName: string, bundleName: string) => join(dirname(defsFile), ".pipes", "sourcemaps", functionName, `${bundleName}.map`);

/** Keeps a deployed bundle's map (deploy-handler). */
export function saveDeployedMap(defsFile: string, functionName: string, bundleName: string, map: Uint8Array): string {
  const file = mapFile(defsFile, functionName, bundleName);
  mkdirSync(join(dirname(defsFile), ".pipes"), { recursive: true, mode: 0o700 });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, map);
  return file;
}

/** One run's maps, read at the first frame that needs one and kept (a backfill asks for each step). */
export class DeployedMaps {
  private readonly loaded = new Map<string, SourceMap | null>();

  constructor(private readonly defsFile: string) {}

  /** Where `line:column` (1-based) of bundle `bundleName` of a function (its folder given) came from, or null. */
  position(functionName: string, functionFolder: string, bundleName: string, line: number, column: number): DeployedPosition | null {
    const key = `${functionName}\0${bundleName}`;
    if (!this.loaded.has(key)) this.loaded.set(key, read(mapFile(this.defsFile, functionName, bundleName)));
    const map = this.loaded.get(key);
    if (!map) return null;
    const entry = map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry?.originalSource || entry.originalLine === undefined) return null;
    // esbuild writes sources relative to the bundle, which sat in the function's folder.
    return { file: resolve(functionFolder, entry.originalSource.replace(/^file:\/\//, "")), line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }
}

function read(file: string): SourceMap | null {
  if (!existsSync(file)) return null;
  try {
    return new SourceMap(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return null; // a damaged map: frames stay as the bundle's
  }
}
