import type { Command } from "commander";
import { existsSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { UserError } from "../errors.js";
import { DEFAULT_MEMORY_MB, DEFAULT_PYTHON_RUNTIME, DEFAULT_RUNTIME, DEFAULT_TIMEOUT_SECONDS } from "../lambda/facts.js";
import { displayPath } from "../util/paths.js";
import { didYouMean } from "../util/suggest.js";
import { outputFor, type CliContext } from "./context.js";
import { packageVersion } from "./version.js";

interface DeployOptions {
  file?: string;
  profile?: string;
  function?: string;
  asset?: string;
  runtime?: string;
  handlerFile?: string;
  create?: boolean;
  role?: string;
  dryRun?: boolean;
  out?: string;
  yes?: boolean;
  includeNodeModules?: boolean;
}

export function registerDeployHandler(program: Command, ctx: CliContext): void {
  program
    .command("deploy-handler")
    .description("zip a function's folder with the pipes handler library and upload it (UpdateFunctionCode or CreateFunction)")
    .option("-f, --file <file>", "definitions file (default: defs.ts or pipes.defs.ts here)")
    .option("--profile <name>", "profile whose Lambda client uploads (default: PIPES_PROFILE, defaultProfile, local)")
    .option("--function <name>", "the function of the defs file to deploy")
    .option("--asset <key>", "deploy the function of this asset")
    .option("--runtime <runtime>", "Lambda runtime (e.g. nodejs20.x, python3.12); default: the function's")
    .option("--handler-file <file>", "the handler file to deploy, instead of the function's handler")
    .option("--create", "create the function (CreateFunction) instead of updating its code")
    .option("--role <arn>", "execution role for --create")
    .option("--dry-run", "build the zip and write it (see --out), upload nothing")
    .option("--out <zip>", "where to write the zip")
    .option("--include-node-modules", "also zip the folder's node_modules")
    .option("-y, --yes", "do not ask before replacing the code of a function on AWS")
    .action(async (options: DeployOptions) => {
      await deployHandler(options, ctx);
    });
}

async function deployHandler(options: DeployOptions, ctx: CliContext): Promise<void> {
  const c = outputFor(ctx, {}).color;
  if (options.create && !options.role) {
    throw new UserError("--create needs --role <ARN>: the execution role the new function runs as (e.g. arn:aws:iam::123456789012:role/lambda-exec).");
  }
  const [{ loadDefinitions }, { splitHandler, handlerFileCandidates }, { RUNTIMES }, vendor, { buildPackage, checkSize, formatBytes }] = await Promise.all([
    import("../defs/load.js"),
    import("../defs/handler-path.js"),
    import("../defs/types.js"),
    import("../deploy/vendor.js"),
    import("../deploy/package.js"),
  ]);
  const defs = await loadDefinitions({ file: options.file, profile: options.profile, cwd: ctx.cwd, env: ctx.env });
  const name = chooseFunction(defs, options);
  const fn = defs.functions.get(name);

  // The handler file, and so the function's folder (the zip's root).
  let handlerFile: string;
  if (options.handlerFile) {
    handlerFile = resolve(ctx.cwd, options.handlerFile);
    if (!existsSync(handlerFile)) throw new UserError(`--handler-file ${options.handlerFile}: no such file.`);
  } else if (fn?.handler) {
    const candidates = handlerFileCandidates(dirname(defs.file), fn.handler, (options.runtime ?? fn.runtime) as typeof fn.runtime);
    const found = candidates.find((p) => existsSync(p));
    if (!found) {
      throw new UserError(
        `Function "${name}": its folder has no handler file for "${fn.handler}" (tried ${candidates.map((p) => displayPath(p, ctx.cwd)).join(", ")}).`,
      );
    }
    handlerFile = found;
  } else {
    throw new UserError(`Function "${name}" has no handler in ${displayPath(defs.file, ctx.cwd)}: add one, or pass --handler-file.`);
  }
  const extension = extname(handlerFile);
  const runtime = options.runtime ?? fn?.runtime ?? (extension === ".py" ? DEFAULT_PYTHON_RUNTIME : DEFAULT_RUNTIME);
  if (!(RUNTIMES as readonly string[]).includes(runtime)) {
    throw new UserError(`Unknown runtime "${runtime}"${didYouMean(runtime, RUNTIMES)}. Lambda runtimes: ${RUNTIMES.join(", ")}.`);
  }
  const python = runtime.startsWith("python");
  if (python !== (extension === ".py")) {
    throw new UserError(`Runtime ${runtime} cannot run ${displayPath(handlerFile, ctx.cwd)}: use a ${python ? ".py" : ".js, .mjs or .cjs"} handler file or another --runtime.`);
  }
  const exportPath = fn?.handler ? splitHandler(fn.handler).exportPath : "handler";
  const lambdaHandler = `${basename(handlerFile, extension)}.${exportPath}`;
  const folder = dirname(handlerFile);

  // The vendored library, replacing an older copy but never a user's own file of that name.
  const libraryRuntime = vendor.vendorRuntimeOf(runtime);
  const libraryName = vendor.vendorFileName(libraryRuntime);
  const existing = resolve(folder, libraryName);
  if (!vendor.isOurCopy(existing)) {
    throw new UserError(`${displayPath(existing, ctx.cwd)} was not written by pipes vendor, and deploy-handler would replace it: rename it or remove it.`);
  }
  const out = options.out ? resolve(ctx.cwd, options.out) : undefined;
  const pkg = buildPackage({
    folder,
    vendored: { name: libraryName, text: vendor.vendoredText(libraryRuntime, packageVersion()) },
    includeNodeModules: Boolean(options.includeNodeModules),
    exclude: out ? [out] : [],
  });
  checkSize(pkg, name);
  const summary = `${formatBytes(pkg.size)} zipped, ${pkg.entries.length} files from ${displayPath(folder, ctx.cwd)}/ (handler ${lambdaHandler})`;
  for (const link of pkg.skippedLinks) ctx.stderr.write(c.yellow(`⚠ left out ${link}: a link to outside the function's folder\n`));

  const { openTarget } = await import("../target/index.js");
  const target = options.dryRun ? null : await openTarget(defs, { hostEnv: ctx.env });
  if (options.dryRun || target?.kind === "emulator") {
    const zipPath = out ?? resolve(ctx.cwd, `${name}.zip`);
    writeFileSync(zipPath, pkg.zip);
    if (target) {
      await target.close();
      ctx.stdout.write(
        c.dim(`Profile ${defs.profile.name} runs functions straight from their folders on the embedded emulator: nothing to upload.\n`) +
          c.dim("To upload, use a profile with lambda.endpoint (e.g. a running `pipes emulator`) or an AWS profile.\n"),
      );
    }
    ctx.stdout.write(`${c.green("✔")} wrote ${displayPath(zipPath, ctx.cwd)}: ${summary}\n  CodeSha256  ${pkg.codeSha256}\n`);
    for (const entry of pkg.entries) ctx.stdout.write(c.dim(`  ${entry}\n`));
    return;
  }
  try {
    const deployed = target!.functionName(name);
    if (out) writeFileSync(out, pkg.zip);
    if (target!.kind === "aws" && !target!.description.startsWith("http://127.0.0.1") && !options.yes && (process.stdin as { isTTY?: boolean }).isTTY) {
      const rl = createInterface({ input: process.stdin, output: ctx.stderr });
      const verb = options.create ? "Create" : "Replace the code of";
      const answer = await rl.question(`${verb} ${deployed} on ${target!.description}? [y/N] `);
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        ctx.stdout.write("Nothing deployed.\n");
        return;
      }
    }
    const { upload } = await import("../deploy/upload.js");
    const result = await upload({
      client: target!.client,
      functionName: deployed,
      zip: pkg.zip,
      settings: {
        runtime,
        handler: lambdaHandler,
        memoryMb: fn?.memoryMb ?? DEFAULT_MEMORY_MB,
        timeoutSeconds: fn?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
        environment: fn?.environment ?? {},
        description: fn?.description ?? null,
      },
      create: options.create ? { role: options.role! } : null,
      target: target!.description,
    });
    const config = result.configuration;
    ctx.stdout.write(`${c.green("✔")} ${result.created ? "created" : "deployed"} ${c.bold(name)} → ${deployed} on ${target!.description}\n`);
    ctx.stdout.write(`  ARN         ${config.FunctionArn}\n  CodeSha256  ${config.CodeSha256}\n  Size        ${summary}\n`);
    if (result.changed.length > 0) ctx.stdout.write(`  Settings    ${result.changed.join("; ")}\n`);
  } finally {
    await target!.close();
  }
}

function chooseFunction(defs: { functions: Map<string, unknown>; assets: Array<{ key: string; function: string | null }>; file: string }, options: DeployOptions): string {
  const names = [...defs.functions.keys()];
  if (options.function && options.asset) throw new UserError("Pass --function or --asset, not both.");
  if (options.asset) {
    const asset = defs.assets.find((a) => a.key === options.asset);
    if (!asset) throw new UserError(`Unknown asset "${options.asset}"${didYouMean(options.asset, defs.assets.map((a) => a.key))}. Assets: ${defs.assets.map((a) => a.key).join(", ")}`);
    if (!asset.function) throw new UserError(`Asset "${asset.key}" computes itself with run(): name the function to deploy with --function.`);
    return asset.function;
  }
  if (options.function) {
    if (!defs.functions.has(options.function) && !options.handlerFile) {
      throw new UserError(`Unknown function "${options.function}"${didYouMean(options.function, names)}. Functions: ${names.join(", ") || "none"} (or pass --handler-file).`);
    }
    return options.function;
  }
  if (names.length === 1) return names[0]!;
  throw new UserError(`Which function? Pass --function NAME or --asset KEY. Functions: ${names.join(", ") || "none"}`);
}
