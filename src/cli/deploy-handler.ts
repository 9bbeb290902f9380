import type { Command } from "commander";
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { UserError } from "../errors.js";
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS } from "../facts/lambda.js";
import { displayPath } from "../util/paths.js";
import { outputFor, type CliContext } from "./context.js";
import { packageVersion } from "./version.js";
import { withSharedOptions } from "./shared-options.js";
import { deprecationNotice } from "../facts/runtimes.js";
import { calendarToday } from "../util/clock.js";
import { effectiveLogging } from "../defs/logging.js";

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
  bundle: boolean;
  depsBuild: boolean;
  sourcemap?: boolean;
  json?: boolean;
  publish?: boolean;
  alias?: string;
}

export function registerDeployHandler(program: Command, ctx: CliContext): void {
  withSharedOptions(
    program
      .command("deploy-handler")
      .description("zip a function (Node.js: bundled with esbuild) with the pipes handler library and upload it (UpdateFunctionCode or CreateFunction)"),
    "file",
    ["profile", "profile whose Lambda client uploads (default: PIPES_PROFILE, defaultProfile, local)"],
    ["json", "print what was uploaded as one JSON document"],
  )
    .option("--function <name>", "the function of the defs file to deploy")
    .option("--asset <key>", "deploy the function of this asset")
    .option("--runtime <runtime>", "Lambda runtime (e.g. nodejs24.x, python3.13); default: the function's")
    .option("--handler-file <file>", "the handler file to deploy, instead of the function's handler")
    .option("--create", "create the function (CreateFunction) instead of updating its code")
    .option("--role <arn>", "execution role for --create")
    .option("--dry-run", "build the zip and write it (see --out), upload nothing")
    .option("--out <zip>", "where to write the zip")
    .option("--no-bundle", "Node.js: zip the folder as it is (its node_modules too when package.json lists dependencies) instead of bundling")
    .option("--sourcemap", "Node.js: put the bundle's source map in the zip (run with NODE_OPTIONS=--enable-source-maps)")
    .option("--no-deps-build", "Python: do not build requirements.txt with pip; the folder must hold its packages already")
    .option("--include-node-modules", "with --no-bundle: zip the folder's node_modules even without dependencies in package.json")
    .option("--publish", "after the upload, publish a version (PublishVersion) of the code just uploaded")
    .option("--alias <name>", "with --publish: point this alias (e.g. live) at the new version, creating it if needed")
    .option("-y, --yes", "do not ask before replacing the code of a function on AWS")
    .action(async (options: DeployOptions) => {
      await deployHandler(options, ctx);
    });
}

async function deployHandler(options: DeployOptions, ctx: CliContext): Promise<void> {
  const output = outputFor(ctx, options);
  const c = output.color;
  if (options.alias !== undefined && !options.publish) {
    throw new UserError("--alias points an alias at the version --publish makes: add --publish.");
  }
  if (options.alias !== undefined && (!/^[a-zA-Z0-9_-]{1,128}$/.test(options.alias) || /^[0-9]+$/.test(options.alias))) {
    throw new UserError(`--alias ${JSON.stringify(options.alias)}: an alias name is 1–128 letters, digits, - and _, not all digits.`);
  }
  if (options.create && !options.role) {
    throw new UserError("--create needs --role <ARN>: the execution role the new function runs as (e.g. arn:aws:iam::123456789012:role/lambda-exec).");
  }
  const [{ loadDefinitions }, { planDeploy, packageFunction }, { formatBytes }] = await Promise.all([
    import("../defs/load.js"),
    import("../deploy/plan.js"),
    import("../deploy/package.js"),
  ]);
  const defs = await loadDefinitions({ file: options.file, profile: options.profile, cwd: ctx.cwd, env: ctx.env });
  const today = calendarToday(ctx.env);
  const plan = planDeploy(defs, options, ctx.cwd, today);
  const { name, fn, folder, runtime, lambdaHandler } = plan;
  // Still allowed on AWS, but not for long: said before AWS says it.
  const notice = deprecationNotice(runtime, today);
  if (notice) ctx.stderr.write(c.yellow(`⚠ function ${name}: ${notice}\n`));
  const out = options.out ? resolve(ctx.cwd, options.out) : undefined;
  const pkg = await packageFunction(
    plan,
    {
      bundle: options.bundle,
      sourcemap: options.sourcemap,
      includeNodeModules: options.includeNodeModules,
      // The zips deploy-handler writes by default (<function>.zip here) and --out: never zipped themselves, or a
      // function whose folder is the project's would zip its own earlier zip, and grow with each run.
      skipPaths: [...(out ? [out] : []), ...[...defs.functions.keys()].map((f) => resolve(ctx.cwd, `${f}.zip`))],
      pipesVersion: packageVersion(),
      depsBuild: options.depsBuild,
      env: ctx.env,
      onDependencies: (b) =>
        ctx.stderr.write(c.dim(`Building ${displayPath(b.file, ctx.cwd)} for Lambda with pip (${b.runtime}, ${b.platform}), once, into ${b.dir}\n`)),
    },
    ctx.cwd,
  );
  if (pkg.bundleMap) {
    // Kept beside the run history, never zipped: a later run maps the deployed bundle's stacks back to the sources.
    const { saveDeployedMap } = await import("../run/deployed-maps.js");
    saveDeployedMap(defs.file, name, pkg.bundleMap.name, pkg.bundleMap.map);
  }
  const deps = pkg.dependencies;
  const how = pkg.bundled ? `bundled with esbuild from ${pkg.bundleInputs.length} files of` : `${pkg.entries.length - (deps?.files ?? 0)} files from`;
  const withDeps = deps ? ` and ${deps.packages.length} ${deps.packages.length === 1 ? "package" : "packages"} of ${deps.requirements} (${deps.platform}${deps.cached ? ", from the cache" : ", built with pip"})` : "";
  const summary = `${formatBytes(pkg.size)} zipped, ${how} ${displayPath(folder, ctx.cwd)}/${withDeps} (handler ${lambdaHandler})`;
  const report = (deployed: Record<string, unknown>) => {
    if (!options.json) return;
    const record = {
      function: name,
      handler: lambdaHandler,
      runtime,
      folder: displayPath(folder, ctx.cwd),
      bundled: pkg.bundled,
      zip: { size: pkg.size, unzippedSize: pkg.unzippedSize, codeSha256: pkg.codeSha256, entries: pkg.entries, ...(pkg.bundled ? { bundleInputs: pkg.bundleInputs } : {}) },
      leftOut: { secrets: pkg.secrets, linksOutside: pkg.skippedLinks },
      ...(deps ? { dependencies: { requirements: deps.requirements, platform: deps.platform, packages: deps.packages, cached: deps.cached, dir: deps.dir } } : {}),
      ...deployed,
    };
    ctx.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  };
  const say = (text: string) => {
    if (!options.json) ctx.stdout.write(text);
  };
  if (pkg.secrets.length > 0) {
    ctx.stderr.write(c.yellow(`⚠ left out ${pkg.secrets.join(", ")}: secrets are never zipped unless the function's include names them\n`));
  }
  for (const link of pkg.skippedLinks) ctx.stderr.write(c.yellow(`⚠ left out ${link}: a link to outside the function's folder\n`));

  const { openTarget } = await import("../target/index.js");
  const target = options.dryRun ? null : await openTarget(defs, { hostEnv: ctx.env, uses: [] });
  if (options.dryRun || target?.kind === "emulator") {
    const zipPath = out ?? resolve(ctx.cwd, `${name}.zip`);
    writeFileSync(zipPath, pkg.zip);
    if (target) {
      await target.close();
      say(
        c.dim(`Profile ${defs.profile.name} runs functions straight from their folders on the embedded emulator: nothing to upload.\n`) +
          c.dim("To upload, use a profile with lambda.endpoint (e.g. a running `pipes emulator`) or an AWS profile.\n"),
      );
    }
    say(`${c.green("✔")} wrote ${displayPath(zipPath, ctx.cwd)}: ${summary}\n  CodeSha256  ${pkg.codeSha256}\n`);
    for (const entry of pkg.entries) say(c.dim(`  ${entry}\n`));
    report({ uploaded: false, wrote: displayPath(zipPath, ctx.cwd) });
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
        say("Nothing deployed.\n");
        report({ uploaded: false });
        return;
      }
    }
    const { upload } = await import("../deploy/upload.js");
    // Local layer folders are published first (a new version only when their files changed), then attached.
    const layers = fn?.layers.length ? await (await import("../deploy/layers.js")).publishLayers(target!.client, fn.layers, dirname(defs.file), deployed, runtime, target!.description) : null;
    const settings = {
      runtime,
      handler: lambdaHandler,
      memoryMb: fn?.memoryMb ?? DEFAULT_MEMORY_MB,
      timeoutSeconds: fn?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      environment: fn?.environment ?? {},
      description: fn?.description ?? null,
      logging: effectiveLogging(fn, defs.profile),
      layers: layers ? layers.map((l) => l.arn) : null,
    };
    const result = await upload({
      client: target!.client,
      functionName: deployed,
      zip: pkg.zip,
      settings,
      create: options.create ? { role: options.role! } : null,
      target: target!.description,
    });
    const config = result.configuration;
    say(`${c.green("✔")} ${result.created ? "created" : "deployed"} ${c.bold(name)} → ${deployed} on ${target!.description}\n`);
    say(`  ARN         ${config.FunctionArn}\n  CodeSha256  ${config.CodeSha256}\n  Size        ${summary}\n`);
    for (const l of layers ?? []) say(`  Layer       ${l.arn}${l.published ? ` (published from ${l.source})` : l.arn === l.source ? "" : ` (${l.source}, unchanged)`}\n`);
    if (result.changed.length > 0) say(`  Settings    ${result.changed.join("; ")}\n`);
    let published: Awaited<ReturnType<typeof import("../deploy/publish.js").publishVersion>> | null = null;
    if (options.publish) {
      const { publishVersion } = await import("../deploy/publish.js");
      published = await publishVersion({ client: target!.client, functionName: deployed, codeSha256: config.CodeSha256, alias: options.alias ?? null, target: target!.description });
      say(`  Version     ${published.version} (${published.arn})\n`);
      if (published.alias) {
        const from = published.alias.created ? "created" : `moved from version ${published.alias.previousVersion}`;
        say(`  Alias       ${published.alias.name} → version ${published.version} (${from}): ${published.alias.arn}\n`);
      }
    }
    report({
      uploaded: true,
      created: result.created,
      deployedAs: deployed,
      target: target!.description,
      arn: config.FunctionArn,
      codeSha256: config.CodeSha256,
      settings: { runtime, handler: lambdaHandler, memoryMb: settings.memoryMb, timeoutSeconds: settings.timeoutSeconds, environment: Object.keys(settings.environment) },
      changed: result.changed,
      ...(published ? { version: published.version, alias: published.alias?.name ?? null } : {}),
      layers: layers ?? [],
    });
  } finally {
    await target!.close();
  }
}
