import type { Command } from "commander";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { displayPath } from "../util/paths.js";
import { outputFor, type CliContext } from "./context.js";
import { packageVersion } from "./version.js";

interface VendorOptions {
  runtime: string;
  out: string;
  force?: boolean;
}

export function registerVendor(program: Command, ctx: CliContext): void {
  program
    .command("vendor")
    .description("write the handler-side pipes library for a runtime into a function folder")
    .option("--runtime <runtime>", "node or python (or a Lambda runtime such as python3.12)", "node")
    .option("--out <dir>", "the function folder", ".")
    .option("--force", "replace a file of the same name that pipes did not write")
    .action(async (options: VendorOptions) => {
      const { vendorRuntimeOf, vendorFileName, vendoredText, vendoredTypes, isOurCopy, NODE_TYPES_NAME } = await import("../deploy/vendor.js");
      const runtime = vendorRuntimeOf(options.runtime);
      const dir = resolve(ctx.cwd, options.out);
      const path = join(dir, vendorFileName(runtime));
      const shown = displayPath(path, ctx.cwd);
      if (!options.force && !isOurCopy(path)) {
        throw new UserError(`${shown} exists and was not written by pipes vendor: rename it, or pass --force to replace it.`);
      }
      const text = vendoredText(runtime, packageVersion());
      const c = outputFor(ctx, {}).color;
      // Node.js: its types beside it (pipes-lambda.d.cts), so a TypeScript handler's withPipes(...) is typed.
      if (runtime === "node") {
        const typesPath = join(dir, NODE_TYPES_NAME);
        if (!options.force && !isOurCopy(typesPath)) {
          throw new UserError(`${displayPath(typesPath, ctx.cwd)} exists and was not written by pipes vendor: rename it, or pass --force to replace it.`);
        }
        mkdirSync(dir, { recursive: true });
        rmSync(typesPath, { force: true });
        writeFileSync(typesPath, vendoredTypes(packageVersion()));
      }
      if (existsSync(path) && readFileSync(path, "utf8") === text) {
        ctx.stdout.write(`${c.green("✔")} ${shown} is up to date (pipes ${packageVersion()})\n`);
        return;
      }
      mkdirSync(dir, { recursive: true });
      rmSync(path, { force: true }); // a link to the library is replaced by a real copy
      writeFileSync(path, text);
      const types = runtime === "node" ? ` and its types ${displayPath(join(dir, NODE_TYPES_NAME), ctx.cwd)}` : "";
      ctx.stdout.write(`${c.green("✔")} wrote ${shown} (pipes ${packageVersion()}, ${(text.length / 1024).toFixed(1)} KB)${types}\n`);
    });
}
