/**
 * The deployment zip of a function: its folder's files (see files.ts), or its bundle, with the vendored library
 * for its runtime at the root. Deterministic: sorted entries, fixed times and permissions, so the same inputs give
 * the same bytes and the same CodeSha256.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { zipSync, type Zippable, type ZipOptions } from "fflate";
import { UserError } from "../errors.js";
import { DIRECT_UPLOAD_LIMIT, UNZIPPED_CODE_LIMIT } from "../facts/lambda.js";
import { selectFiles, type FileRules } from "./files.js";

export { DIRECT_UPLOAD_LIMIT };

export interface PackageInput {
  folder: string;
  /** The library file to put at the zip's root, replacing a copy in the folder; none for a bundle, which holds it. */
  vendored: { name: string; text: string } | null;
  /** Which of the folder's files ship (see files.ts). */
  rules?: FileRules;
  /** Files made for the zip instead (a bundle): then the folder's files are not read. */
  generated?: Record<string, Uint8Array>;
  /** Python: the built requirements (python-deps.ts), at the zip's root; a file of the folder's own wins. */
  dependencies?: Record<string, Uint8Array> | undefined;
}

export interface Package {
  zip: Uint8Array;
  entries: string[];
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256. */
  codeSha256: string;
  size: number;
  /** Bytes once unzipped, against Lambda's 250 MB limit. */
  unzippedSize: number;
  /** Secret-like files left out (named to the user), and links that point outside the folder. */
  secrets: string[];
  skippedLinks: string[];
}

// DOS time is local time: build the date from local parts so every time zone writes the same bytes.
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644 << 16;

export function buildPackage(input: PackageInput): Package {
  const files: Record<string, Uint8Array> = { ...input.dependencies };
  let selection = { files: [] as string[], secrets: [] as string[], outsideLinks: [] as string[] };
  if (input.generated) {
    Object.assign(files, input.generated);
  } else {
    selection = selectFiles(input.folder, input.rules);
    for (const name of selection.files) if (name !== input.vendored?.name) files[name] = readFileSync(join(input.folder, name));
  }
  if (input.vendored) files[input.vendored.name] = Buffer.from(input.vendored.text, "utf8");
  const sorted: Zippable = {};
  let unzippedSize = 0;
  for (const name of Object.keys(files).sort()) {
    sorted[name] = [files[name]!, { mtime: FIXED_TIME, attrs: FILE_MODE, os: 3, level: 6 } satisfies ZipOptions];
    unzippedSize += files[name]!.byteLength;
  }
  const zip = zipSync(sorted);
  return {
    zip,
    entries: Object.keys(sorted),
    codeSha256: createHash("sha256").update(zip).digest("base64"),
    size: zip.byteLength,
    unzippedSize,
    secrets: selection.secrets,
    skippedLinks: selection.outsideLinks,
  };
}

export function checkSize(pkg: Package, functionName: string): void {
  if (pkg.unzippedSize > UNZIPPED_CODE_LIMIT) {
    throw new UserError(
      `The code of ${functionName} is ${formatBytes(pkg.unzippedSize)} unzipped, above Lambda's ${formatBytes(UNZIPPED_CODE_LIMIT)} limit. ` +
        "Leave out what the function does not need (exclude patterns, .pipesignore), or bundle it.",
    );
  }
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
