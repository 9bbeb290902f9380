/**
 * What `pipes deploy-handler` decides before it uploads: which function, its handler file and folder, the
 * runtime, Lambda's handler string, and the zip (a bundle for Node.js, the folder's files otherwise), with what
 * was left out and why. The command only reads options and prints.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { LambdaFunction, ResolvedDefinitions } from "../defs/normalized.js";
import { handlerFileCandidates, splitHandler } from "../defs/handler-path.js";
import { UserError } from "../errors.js";
import { DEFAULT_PYTHON_RUNTIME, DEFAULT_RUNTIME, isRuntime, RUNTIMES } from "../facts/lambda.js";
import { blockedBecause, successorOf } from "../facts/runtimes.js";
import { displayPath } from "../util/paths.js";
import { didYouMean } from "../util/suggest.js";
import { bundleHandler, isTypeScript } from "./bundle.js";
import { layerPackages } from "./layers.js";
import { isLayerArn, layerFolder } from "../defs/layers.js";
import { buildPackage, checkSize, type Package } from "./package.js";
import { buildDependencies, type BuildStart, type BuiltDependencies, dependencyFiles, RequirementsError, requirementsOf } from "./python-deps.js";
import { PythonResolver } from "../emulator/python.js";
import { isOurCopy, vendoredText, vendorFileName, vendorRuntimeOf } from "./vendor.js";

export interface DeployChoice {
  function?: string;
  asset?: string;
  runtime?: string;
  handlerFile?: string;
  /** CreateFunction rather than an update: AWS blocks creating on a runtime before it blocks updating. */
  create?: boolean;
}

export interface DeployTarget {
  name: string;
  fn: LambdaFunction | undefined;
  handlerFile: string;
  folder: string;
  runtime: string;
  /** Lambda's handler string, e.g. `app.handler`. */
  lambdaHandler: string;
  /** The function's local layer folders (absolute): their Node.js packages stay out of a bundle. */
  layerFolders: string[];
}

/**
 * The function to deploy and where its code is; every mistake is a UserError naming what is wrong, and so is a
 * runtime AWS would refuse on `today` (YYYY-MM-DD): nothing is built or uploaded for it.
 */
export function planDeploy(defs: ResolvedDefinitions, options: DeployChoice, cwd: string, today: string): DeployTarget {
  const name = chooseFunction(defs, options);
  const fn = defs.functions.get(name);
  let handlerFile: string;
  if (options.handlerFile) {
    handlerFile = resolve(cwd, options.handlerFile);
    if (!existsSync(handlerFile)) throw new UserError(`--handler-file ${options.handlerFile}: no such file.`);
  } else if (fn?.handler) {
    const candidates = handlerFileCandidates(dirname(defs.file), fn.handler, (options.runtime ?? fn.runtime) as LambdaFunction["runtime"]);
    const found = candidates.find((p) => existsSync(p));
    if (!found) {
      throw new UserError(`Function "${name}": its folder has no handler file for "${fn.handler}" (tried ${candidates.map((p) => displayPath(p, cwd)).join(", ")}).`);
    }
    handlerFile = found;
  } else {
    throw new UserError(`Function "${name}" has no handler in ${displayPath(defs.file, cwd)}: add one, or pass --handler-file.`);
  }
  const extension = extname(handlerFile);
  const runtime = options.runtime ?? fn?.runtime ?? (extension === ".py" ? DEFAULT_PYTHON_RUNTIME : DEFAULT_RUNTIME);
  const blocked = blockedBecause(runtime, options.create ? "create" : "update", today);
  if (blocked) {
    const to = successorOf(runtime, today);
    throw new UserError(`Function "${name}": ${blocked}. Set runtime: "${to}" on the function in ${displayPath(defs.file, cwd)}, or pass --runtime ${to}.`);
  }
  if (!isRuntime(runtime)) throw new UserError(`Unknown runtime "${runtime}"${didYouMean(runtime, RUNTIMES)}. Lambda runtimes: ${RUNTIMES.join(", ")}.`);
  const python = runtime.startsWith("python");
  if (python !== (extension === ".py")) {
    throw new UserError(`Runtime ${runtime} cannot run ${displayPath(handlerFile, cwd)}: use a ${python ? ".py" : ".js, .mjs, .cjs or .ts"} handler file or another --runtime.`);
  }
  const exportPath = fn?.handler ? splitHandler(fn.handler).exportPath : "handler";
  return { name, fn, handlerFile, folder: dirname(handlerFile), runtime, lambdaHandler: `${basename(handlerFile, extension)}.${exportPath}`,
    layerFolders: (fn?.layers ?? []).filter((l) => !isLayerArn(l)).map((l) => layerFolder(l, dirname(defs.file))),
  };
}

export interface PackageOptions {
  /** Node.js: bundle with esbuild (the default), or zip the folder as it is. */
  bundle: boolean;
  sourcemap?: boolean;
  includeNodeModules?: boolean;
  /** Absolute paths never to zip (the zip being written). */
  skipPaths?: string[];
  pipesVersion: string;
  /** Python: build requirements.txt with pip into the zip (the default), or refuse when it is not vendored. */
  depsBuild?: boolean;
  /** The user's environment, for pip and its cache. */
  env?: NodeJS.ProcessEnv;
  /** Told before pip runs (it takes a while). */
  onDependencies?: (started: BuildStart) => void;
}

export interface DeployPackage extends Package {
  bundled: boolean;
  /** The sources a bundle holds, relative to the folder. */
  bundleInputs: string[];
  /** A bundled handler's source map kept out of the zip, and the bundle's name (see bundle.ts). */
  bundleMap?: { name: string; map: Uint8Array } | null;
  /** Python: the requirements.txt built into the zip. */
  dependencies: (BuiltDependencies & { requirements: string; files: number }) | null;
}

export async function packageFunction(plan: DeployTarget, options: PackageOptions, cwd: string): Promise<DeployPackage> {
  const libraryRuntime = vendorRuntimeOf(plan.runtime);
  const vendored = { name: vendorFileName(libraryRuntime), text: vendoredText(libraryRuntime, options.pipesVersion) };
  // The vendored library replaces an older copy, never a user's own file of that name.
  const existing = resolve(plan.folder, vendored.name);
  if (!isOurCopy(existing)) {
    throw new UserError(`${displayPath(existing, cwd)} was not written by pipes vendor, and deploy-handler would replace it: rename it or remove it.`);
  }
  const rules = { include: plan.fn?.include ?? [], exclude: plan.fn?.exclude ?? [], skipPaths: options.skipPaths ?? [] };
  let pkg: DeployPackage;
  if (libraryRuntime === "node" && !options.bundle && isTypeScript(plan.handlerFile)) {
    throw new UserError(`${displayPath(plan.handlerFile, cwd)} is TypeScript, which Lambda's Node.js runtimes do not load: deploy it bundled (without --no-bundle).`);
  }
  if (libraryRuntime === "node" && options.bundle) {
    const bundle = await bundleHandler({ handlerFile: plan.handlerFile, runtime: plan.runtime, vendored, external: layerPackages(plan.layerFolders, plan.runtime), sourcemap: options.sourcemap ?? false, pipesVersion: options.pipesVersion });
    pkg = { ...buildPackage({ folder: plan.folder, vendored: null, generated: bundle.files }), bundled: true, bundleInputs: bundle.inputs, dependencies: null, bundleMap: bundle.map ? { name: bundle.name, map: bundle.map } : null };
  } else {
    const includeNodeModules = options.includeNodeModules || (libraryRuntime === "node" && hasDependencies(plan.folder, cwd));
    const requirements = libraryRuntime === "python" ? requirementsOf(plan.folder) : null;
    let dependencies: DeployPackage["dependencies"] = null;
    let built: Record<string, Uint8Array> | undefined;
    if (requirements && options.depsBuild !== false) {
      const deps = await buildForLambda(plan, requirements, options, cwd);
      built = dependencyFiles(deps.dir);
      dependencies = { ...deps, requirements: displayPath(requirements, cwd), files: Object.keys(built).length };
    } else if (requirements) {
      checkRequirements(plan.folder, cwd);
    }
    pkg = { ...buildPackage({ folder: plan.folder, vendored, rules: { ...rules, includeNodeModules }, dependencies: built }), bundled: false, bundleInputs: [], dependencies };
  }
  checkSize(pkg, plan.name);
  return pkg;
}

/** requirements.txt built with the pip of the interpreter the emulator runs this runtime on. */
async function buildForLambda(plan: DeployTarget, file: string, options: PackageOptions, cwd: string): Promise<BuiltDependencies> {
  const env = options.env ?? process.env;
  const python = () => {
    const choice = new PythonResolver(env).choose(plan.runtime);
    if (choice.version !== null) return choice.command;
    throw new RequirementsError(`${displayPath(file, cwd)} needs pip to be built, and ${choice.warning ?? "no Python interpreter was found"}.`);
  };
  const build = { file, shownAs: displayPath(file, cwd), runtime: plan.runtime, architecture: plan.fn?.architecture ?? ("x86_64" as const), python, env };
  return buildDependencies(build, options.onDependencies);
}

/**
 * A folder zipped as it is must hold what its package.json needs: its node_modules go in the zip, and a listed
 * dependency that is not installed there would fail on Lambda.
 */
function hasDependencies(folder: string, cwd: string): boolean {
  const manifest = join(folder, "package.json");
  if (!existsSync(manifest)) return false;
  let dependencies: Record<string, unknown> = {};
  try {
    dependencies = ((JSON.parse(readFileSync(manifest, "utf8")) as { dependencies?: Record<string, unknown> }).dependencies ?? {});
  } catch {
    throw new UserError(`${displayPath(manifest, cwd)} is not valid JSON.`);
  }
  const missing = Object.keys(dependencies).filter((dep) => !existsSync(join(folder, "node_modules", dep, "package.json")));
  if (missing.length > 0) {
    throw new UserError(
      `${displayPath(manifest, cwd)} lists ${missing.join(", ")}, not installed in ${displayPath(join(folder, "node_modules"), cwd)}: ` +
        `run npm install in ${displayPath(folder, cwd)} (or deploy bundled, without --no-bundle).`,
    );
  }
  return Object.keys(dependencies).length > 0;
}

/**
 * Lambda installs nothing: what requirements.txt names must be in the folder already, else the zip cannot import
 * it. Checked by the installed distributions' metadata (`<name>-<version>.dist-info`) or a module of that name.
 */
function checkRequirements(folder: string, cwd: string): void {
  const file = join(folder, "requirements.txt");
  if (!existsSync(file)) return;
  const normal = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "_");
  const present = new Set<string>();
  for (const entry of readdirSync(folder)) {
    const dist = /^(.+?)-[^-]+\.(?:dist|egg)-info$/.exec(entry);
    present.add(normal(dist ? dist[1]! : entry.replace(/\.py$/, "")));
  }
  const wanted = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line && !line.startsWith("-"))
    .map((line) => /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(line)?.[0])
    .filter((name): name is string => Boolean(name));
  const missing = wanted.filter((name) => !present.has(normal(name)));
  if (missing.length > 0) {
    const rel = displayPath(folder, cwd);
    throw new UserError(
      `${displayPath(file, cwd)} lists ${missing.join(", ")}, not in ${rel}/: Lambda installs nothing, so the zip could not import ${missing.length === 1 ? "it" : "them"}. ` +
        `Vendor them into the folder first: pip install -r ${displayPath(file, cwd)} -t ${rel} (or deploy without --no-deps-build: pipes builds them for Lambda)`,
    );
  }
}

function chooseFunction(defs: ResolvedDefinitions, options: DeployChoice): string {
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
