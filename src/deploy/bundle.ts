/**
 * A Node.js handler bundled as AWS CDK's NodejsFunction, SST and serverless-esbuild bundle one: esbuild, one
 * file for the handler and everything it imports (the vendored pipes library included), the AWS SDK v3 left
 * external because Lambda's Node.js runtimes provide it, ESM or CommonJS as the handler is, a source map when
 * asked. Paths in the output are relative to the function's folder, so the same sources give the same bytes on
 * every machine.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import type { Message, Plugin } from "esbuild";
import { UserError } from "../errors.js";

export interface BundleInput {
  handlerFile: string;
  runtime: string;
  /** The pipes library the handler imports as `./<name>`, served from memory (it need not be in the folder). */
  vendored: { name: string; text: string };
  sourcemap?: boolean;
  /**
   * Where the map's sources resolve from (a `file:` URL of the handler's folder): set by the emulator, so a stack
   * names the user's own files; never for a zip, whose bytes must not depend on the machine.
   */
  sourceRoot?: string;
  /** Named in the bundle's first line. */
  pipesVersion: string;
  /** Packages left out of the bundle besides the AWS SDK: those the function's layers provide. */
  external?: string[];
}

export interface Bundle {
  /** The zip's files: the bundle under the handler file's own name (so the handler string stays), a map, and a
   * package.json marking a `.js` bundle as ESM when it is. */
  files: Record<string, Uint8Array>;
  format: "esm" | "cjs";
  /** The source files the bundle holds, relative to the function's folder. */
  inputs: string[];
  /** The files esbuild read, absolute (the vendored library, served from memory, is not one): what a cache keys on. */
  sourceFiles: string[];
  /** The bundle's file name: the handler's, with a TypeScript extension turned into JavaScript's. */
  name: string;
  /**
   * The source map, when it is not in `files` (no `sourcemap` asked): deploy-handler keeps it under .pipes/ so an
   * error of the deployed bundle maps back to the user's lines (src/run/deployed-maps.ts).
   */
  map: Uint8Array | null;
}

/** TypeScript handler files, which only run bundled (Lambda's Node.js runtimes load JavaScript). */
export const TYPESCRIPT_EXTENSIONS = [".ts", ".mts", ".cts"] as const;

export const isTypeScript = (file: string): boolean => (TYPESCRIPT_EXTENSIONS as readonly string[]).includes(extname(file));

/** `index.ts` → `index.js`, `.mts` → `.mjs`, `.cts` → `.cjs`: the file Lambda loads for the same handler string. */
export function bundleName(file: string): string {
  const name = basename(file);
  return isTypeScript(name) ? name.replace(/\.([mc]?)ts$/, ".$1js") : name;
}

export async function bundleHandler(input: BundleInput): Promise<Bundle> {
  const { build } = await import("esbuild");
  const folder = dirname(input.handlerFile);
  const name = bundleName(input.handlerFile);
  const format = moduleFormat(input.handlerFile, folder);
  const nodeMajor = /^nodejs(\d+)/.exec(input.runtime)?.[1] ?? "20";
  let result: Awaited<ReturnType<typeof build<{ write: false; metafile: true }>>>;
  try {
    result = await build({
      entryPoints: [input.handlerFile],
      absWorkingDir: folder,
      bundle: true,
      platform: "node",
      target: `node${nodeMajor}`,
      format,
      outfile: join(folder, name),
      write: false,
      metafile: true,
      logLevel: "silent",
      // Without a map in the zip, an external one (no sourceMappingURL: the bundle's bytes are the same) is kept aside.
      sourcemap: input.sourcemap ? "linked" : "external",
      ...(input.sourcemap && input.sourceRoot ? { sourceRoot: input.sourceRoot } : {}),
      external: ["@aws-sdk/*", ...(input.external ?? [])],
      banner: {
        js:
          `// ${name} bundled by pipes ${input.pipesVersion} with esbuild: the handler, what it imports, and ${input.vendored.name}.` +
          // An ESM bundle of CommonJS packages still calls require() for Node's own modules.
          (format === "esm" ? '\nimport { createRequire as __pipesCreateRequire } from "node:module"; const require = __pipesCreateRequire(import.meta.url);' : ""),
      },
      plugins: [vendoredLibrary(input.vendored)],
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors ?? [];
    const lines = errors.map((e) => `  ${e.location ? `${e.location.file}:${e.location.line}: ` : ""}${e.text}`);
    const unresolved = errors.some((e) => e.text.startsWith("Could not resolve"));
    throw new BundleError(
      errors,
      `Could not bundle ${name}:\n${lines.join("\n") || `  ${(error as Error).message}`}` +
        (unresolved ? `\nInstall the missing packages in ${folder} (npm install), or deploy the folder as it is with --no-bundle.` : ""),
    );
  }
  const files: Record<string, Uint8Array> = {};
  let map: Uint8Array | null = null;
  for (const out of result.outputFiles) {
    const path = relative(folder, out.path).split(sep).join("/");
    if (!input.sourcemap && path === `${name}.map`) map = out.contents;
    else files[path] = out.contents;
  }
  if (format === "esm" && extname(name) === ".js") files["package.json"] = Buffer.from('{"type":"module"}\n');
  const inputs = Object.keys(result.metafile.inputs).map((p) => p.replace(/^pipes-vendored:/, "")).sort();
  const sourceFiles = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("pipes-vendored:")).map((p) => resolve(folder, p));
  return { files, format, inputs, name, sourceFiles, map };
}

/** esbuild refused the handler: its messages, for the emulator to put as the runtime would. */
export class BundleError extends UserError {
  constructor(
    readonly errors: Message[],
    message: string,
  ) {
    super(message);
  }
}

/** ESM for `.mjs`/`.mts`, CommonJS for `.cjs`/`.cts`; a `.js`/`.ts` file as the folder's package.json says. */
function moduleFormat(file: string, folder: string): "esm" | "cjs" {
  if (file.endsWith(".mjs") || file.endsWith(".mts")) return "esm";
  if (file.endsWith(".cjs") || file.endsWith(".cts")) return "cjs";
  const manifest = join(folder, "package.json");
  if (!existsSync(manifest)) return "cjs";
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type === "module" ? "esm" : "cjs";
  } catch {
    return "cjs";
  }
}

/** `./pipes-lambda.cjs` from the handler's folder is this pipes' library, whatever copy the folder has. */
function vendoredLibrary(vendored: { name: string; text: string }): Plugin {
  const specifier = new RegExp(`^\\./${vendored.name.replace(/[.]/g, "\\.")}$`);
  return {
    name: "pipes-vendored",
    setup(build) {
      build.onResolve({ filter: specifier }, () => ({ path: vendored.name, namespace: "pipes-vendored" }));
      build.onLoad({ filter: /.*/, namespace: "pipes-vendored" }, () => ({ contents: vendored.text, loader: "js" }));
    },
  };
}
