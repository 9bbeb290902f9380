import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's folder (package.json, bin/, dist/): two folders above this module, compiled or bundled alike. */
export const PACKAGE_ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));

let version: string | undefined;

/** This package's version, read once from package.json. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  return version;
}
