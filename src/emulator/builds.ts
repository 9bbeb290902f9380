/**
 * TypeScript handlers from a definitions file run as `pipes deploy-handler` ships them: bundled by the same
 * function (src/deploy/bundle.ts: esbuild, the pipes library inside, `@aws-sdk/*` left to the runtime), with a
 * source map whose sources point back at the user's files, so a stack names `fn/index.ts:12`. Each bundle lives in
 * a folder named by the hash of what esbuild read (its metafile's inputs), so an unchanged handler is never built
 * twice and a changed one gets a new folder: the worker pool sees another layout and replaces its warm workers.
 * Whether anything changed is asked of the inputs' sizes and times first, their contents only when those moved.
 */
import { layerPackages } from "../deploy/layers.js";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Message } from "esbuild";
import { packageVersion } from "../cli/version.js";
import { BundleError, bundleHandler } from "../deploy/bundle.js";
import { vendoredText, vendorFileName } from "../deploy/vendor.js";
import type { RegisteredFunction } from "./registry.js";

/** A built handler's folder, or why it could not be built (the worker fails its init with it). */
export type BuildLayout = { codeRoot: string } | { error: string; errorType: string };

interface LastBuild {
  sources: string[];
  /** The sources' sizes and modification times when their contents were last hashed. */
  signature: string;
  key: string;
}

export class HandlerBuilds {
  /** By handler file and runtime: what its last build read. */
  private readonly last = new Map<string, LastBuild>();
  /** By content key: the built folders. */
  private readonly built = new Map<string, string>();
  /** By handler file and runtime: a build under way, which later invocations wait for rather than start another. */
  private readonly running = new Map<string, Promise<BuildLayout>>();

  /** `dir`: where the bundles go (inside the emulator's own folder, removed with it). */
  constructor(private readonly dir: string) {}

  prepare(fn: RegisteredFunction & { bundle: { handlerFile: string } }): Promise<BuildLayout> {
    const layers = fn.layers ?? [];
    const id = `${fn.bundle.handlerFile}\0${fn.runtime}\0${layers.join("\0")}`;
    const cached = this.cached(id);
    if (cached) return Promise.resolve({ codeRoot: cached });
    let build = this.running.get(id);
    if (!build) {
      build = this.build(id, fn.bundle.handlerFile, fn.runtime, layers).finally(() => this.running.delete(id));
      this.running.set(id, build);
    }
    return build;
  }

  /** The folder of an up-to-date build, if there is one. */
  private cached(id: string): string | undefined {
    const last = this.last.get(id);
    if (!last) return undefined;
    const signature = signatureOf(last.sources);
    if (signature === last.signature) return this.built.get(last.key);
    const folder = this.built.get(contentKey(id, last.sources));
    // Touched, not changed (a save without an edit, a checkout): the same bundle.
    if (folder) this.last.set(id, { ...last, signature });
    return folder;
  }

  private async build(id: string, handlerFile: string, runtime: string, layers: string[]): Promise<BuildLayout> {
    const version = packageVersion();
    const vendored = { name: vendorFileName("node"), text: vendoredText("node", version) };
    const sourceRoot = pathToFileURL(`${dirname(handlerFile)}/`).href;
    try {
      const bundle = await bundleHandler({ handlerFile, runtime, vendored, sourcemap: true, sourceRoot, pipesVersion: version, external: layerPackages(layers, runtime) });
      const signature = signatureOf(bundle.sourceFiles);
      const key = contentKey(id, bundle.sourceFiles);
      const folder = join(this.dir, key.slice(0, 32));
      if (!this.built.has(key)) {
        for (const [name, bytes] of Object.entries(bundle.files)) {
          mkdirSync(dirname(join(folder, name)), { recursive: true });
          writeFileSync(join(folder, name), bytes);
        }
        this.built.set(key, folder);
      }
      this.last.set(id, { sources: bundle.sourceFiles, signature, key });
      return { codeRoot: folder };
    } catch (error) {
      if (!(error instanceof BundleError)) return { error: `pipes could not bundle ${handlerFile}: ${(error as Error).message}`, errorType: "Runtime.ImportModuleError" };
      const failure = buildFailure(error.errors, handlerFile);
      // It travels to the worker as an argument: bounded well below Linux's 128 KB for one.
      return "error" in failure ? { ...failure, error: failure.error.slice(0, 16_384) } : failure;
    }
  }
}

/** esbuild's complaint as the runtime would put it: an import it cannot resolve, else the code's syntax. */
function buildFailure(errors: Message[], handlerFile: string): BuildLayout {
  const at = (e: Message) => (e.location ? `${join(dirname(handlerFile), e.location.file)}:${e.location.line}:${e.location.column + 1}: ` : "");
  const unresolved = errors.find((e) => e.text.startsWith("Could not resolve"));
  if (unresolved) {
    const specifier = /Could not resolve "([^"]+)"/.exec(unresolved.text)?.[1] ?? unresolved.text;
    return { errorType: "Runtime.ImportModuleError", error: `Error: Cannot find module '${specifier}' (${at(unresolved)}${unresolved.text})` };
  }
  const lines = errors.map((e) => `${at(e)}${e.text}`);
  return { errorType: "Runtime.UserCodeSyntaxError", error: `SyntaxError: ${lines.join("\n") || "the handler could not be bundled"}` };
}

function signatureOf(files: string[]): string {
  return files
    .map((file) => {
      try {
        const stat = statSync(file);
        return `${stat.size}:${stat.mtimeMs}`;
      } catch {
        return "gone";
      }
    })
    .join(",");
}

/** The hash of what a build read: the same sources give the same key, whatever their times say. */
function contentKey(id: string, files: string[]): string {
  const hash = createHash("sha256").update(`${packageVersion()}\0${id}\0`);
  for (const file of files) {
    hash.update(`${file}\0`);
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update("\0gone\0");
    }
  }
  return hash.digest("hex");
}
