/**
 * The deployment zip of a function: its folder (the handler file's folder), with the vendored library for
 * its runtime at the root. Deterministic: sorted entries, fixed times and permissions, so the same inputs give
 * the same bytes and the same CodeSha256.
 */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { zipSync, type Zippable, type ZipOptions } from "fflate";
import { UserError } from "../errors.js";

/** Lambda's limit for a zip uploaded directly (not through S3). */
import { DIRECT_UPLOAD_LIMIT } from "../lambda/facts.js";

export { DIRECT_UPLOAD_LIMIT };
const SKIPPED = new Set([".git", "__pycache__", ".DS_Store", ".pipes"]);

export interface PackageInput {
  folder: string;
  /** The library file to put at the zip's root, replacing a copy in the folder. */
  vendored: { name: string; text: string };
  includeNodeModules?: boolean;
  /** Paths to leave out (e.g. the zip being written, when it is inside the folder). */
  exclude?: string[];
}

export interface Package {
  zip: Uint8Array;
  entries: string[];
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256. */
  codeSha256: string;
  size: number;
  /** Links that point outside the folder, left out. */
  skippedLinks: string[];
}

// DOS time is local time: build the date from local parts so every time zone writes the same bytes.
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644 << 16;

export function buildPackage(input: PackageInput): Package {
  const root = realpathSync(input.folder);
  const files: Record<string, [Uint8Array, ZipOptions]> = {};
  const skippedLinks: string[] = [];
  const excluded = new Set((input.exclude ?? []).map((p) => p));
  const add = (name: string, bytes: Uint8Array) => {
    files[name] = [bytes, { mtime: FIXED_TIME, attrs: FILE_MODE, os: 3, level: 6 }];
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if (SKIPPED.has(entry) || entry.endsWith(".pyc")) continue;
      if (entry === "node_modules" && !input.includeNodeModules) continue;
      const path = join(dir, entry);
      if (excluded.has(path)) continue;
      const name = relative(input.folder, path).split(sep).join("/");
      if (name === input.vendored.name) continue; // replaced below
      if (lstatSync(path).isSymbolicLink()) {
        const target = realpathSync(path);
        if (!target.startsWith(root + sep)) {
          skippedLinks.push(name);
          continue;
        }
      }
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) add(name, readFileSync(path));
    }
  };
  walk(input.folder);
  add(input.vendored.name, Buffer.from(input.vendored.text, "utf8"));
  const sorted: Zippable = {};
  for (const name of Object.keys(files).sort()) sorted[name] = files[name]!;
  const zip = zipSync(sorted);
  return {
    zip,
    entries: Object.keys(sorted),
    codeSha256: createHash("sha256").update(zip).digest("base64"),
    size: zip.byteLength,
    skippedLinks,
  };
}

export function checkSize(pkg: Package, functionName: string): void {
  if (pkg.size > DIRECT_UPLOAD_LIMIT) {
    throw new UserError(
      `The zip for ${functionName} is ${formatBytes(pkg.size)}, above Lambda's ${formatBytes(DIRECT_UPLOAD_LIMIT)} limit ` +
        "for a direct upload. Leave out what the function does not need (data files, dependencies it does not import), " +
        "or move large dependencies to a layer.",
    );
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
