/**
 * The handler-side libraries `pipes` ships, as users vendor them into their function folders: the file's text
 * behind a header that names the `pipes` version it came from (and marks the file as ours to replace).
 */
import { existsSync, lstatSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../errors.js";

export type VendorRuntime = "node" | "python";

const SOURCES: Record<VendorRuntime, { name: string; comment: string }> = {
  node: { name: "pipes-lambda.cjs", comment: "//" },
  python: { name: "pipes_lambda.py", comment: "#" },
};
const HANDLER_DIR = fileURLToPath(new URL("../../src/handler/", import.meta.url));
const HEADER = / — vendored by pipes \S+ \(`pipes vendor`\)\./;

export function vendorRuntimeOf(runtime: string): VendorRuntime {
  if (runtime === "node" || runtime.startsWith("nodejs")) return "node";
  if (runtime === "python" || runtime.startsWith("python")) return "python";
  throw new UserError(`Unknown runtime "${runtime}": use node or python (or a Lambda runtime such as nodejs24.x, python3.13).`);
}

export function vendorFileName(runtime: VendorRuntime): string {
  return SOURCES[runtime].name;
}

/** The library's text for a runtime, with the header naming this pipes version. */
export function vendoredText(runtime: VendorRuntime, version: string): string {
  const { name, comment } = SOURCES[runtime];
  const source = readFileSync(join(HANDLER_DIR, name), "utf8");
  const header =
    `${comment} ${name} — vendored by pipes ${version} (\`pipes vendor\`). ` +
    `Re-run \`pipes vendor\` (or \`pipes deploy-handler\`) to update it; edits here are replaced.\n`;
  // A leading "use strict" or module docstring keeps working below a comment line.
  return header + source;
}

/** The Node.js library's declaration file (`pipes-lambda.d.cts`), written beside it so TypeScript handlers are typed. */
export const NODE_TYPES_NAME = "pipes-lambda.d.cts";

export function vendoredTypes(version: string): string {
  const source = readFileSync(join(HANDLER_DIR, NODE_TYPES_NAME), "utf8");
  return `// ${NODE_TYPES_NAME} — vendored by pipes ${version} (\`pipes vendor\`). Re-run \`pipes vendor\` to update it; edits here are replaced.\n${source}`;
}

/**
 * True when the file at `path` is a copy of our library that we may replace: one with our header, or a link
 * to the library inside this package (as in the examples). Anything else is the user's own file.
 */
export function isOurCopy(path: string): boolean {
  if (!existsSync(path)) return true;
  if (lstatSync(path).isSymbolicLink() && realpathSync(path).startsWith(realpathSync(HANDLER_DIR))) return true;
  const firstLine = readFileSync(path, "utf8").split("\n", 1)[0] ?? "";
  return HEADER.test(firstLine);
}
