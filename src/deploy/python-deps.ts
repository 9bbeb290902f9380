/**
 * A Python function's `requirements.txt` built for Lambda, as `sam build` builds it: pip installs wheels for
 * Lambda's platform (manylinux2014, the function's architecture), the runtime's Python version and CPython, into
 * a folder whose contents go to the zip's root. Lambda builds nothing from source, so only wheels are taken
 * (`--only-binary=:all:`): a package without one for that platform is refused by name. pip runs with the user's
 * own configuration (pip.conf, PIP_* variables: their index, proxy, find-links), nothing overridden.
 *
 * Built once per requirements text, runtime and architecture, into the user's cache
 * (`$XDG_CACHE_HOME/pipes/python-deps/<runtime>-<arch>-<hash>`), never into the project: `deploy-handler` zips
 * that folder, and the emulator puts the same folder on a definitions-file function's sys.path, so what is
 * deployed is what ran. The key is the file's text: a `-r other.txt` it names, or a newer release a loose pin
 * now matches, does not change it (delete the folder to rebuild).
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors.js";
import { PIP_PLATFORMS } from "../facts/lambda.js";
import type { Architecture } from "../facts/pricing.js";
import { userCacheDir } from "../util/user-cache.js";

export const REQUIREMENTS_FILE = "requirements.txt";
/** pip downloads: generous, but bounded, so a stuck index cannot hang a deploy or an invocation for ever. */
const PIP_TIMEOUT_MS = 15 * 60_000;
/** What of pip's output is kept to explain a failure. */
const OUTPUT_LIMIT = 1024 * 1024;

export interface RequirementsBuild {
  /** Absolute path of the requirements.txt. */
  file: string;
  /** How messages name it (e.g. relative to the working directory); default `file`. */
  shownAs?: string;
  /** Lambda runtime, e.g. `python3.12`. */
  runtime: string;
  architecture: Architecture;
  /**
   * The interpreter whose pip runs (the one the emulator runs the runtime on), asked only when pip must run; it
   * throws a UserError when there is none.
   */
  python: () => string;
  /** The user's environment: pip's own settings (PIP_*, its config files under HOME) and the cache's place. */
  env: NodeJS.ProcessEnv;
  /** Ends a pip that is running (the emulator stops). */
  signal?: AbortSignal;
}

export interface BuiltDependencies {
  /** The folder whose contents go to the zip's root (and on the emulator's sys.path). */
  dir: string;
  /** Taken from the cache: pip did not run. */
  cached: boolean;
  /** `name version` of each distribution installed, sorted. */
  packages: string[];
  /** pip's platform tag, e.g. `manylinux2014_x86_64`. */
  platform: string;
}

/** What is being built, said before pip runs. */
export interface BuildStart {
  file: string;
  runtime: string;
  platform: string;
  /** Where it goes in the cache. */
  dir: string;
}

/** pip failed: a package without a wheel for Lambda, an index that cannot be reached, no pip at all. */
export class RequirementsError extends UserError {
  override name = "RequirementsError";
}

/** The folder's requirements.txt, or null when it has none. */
export function requirementsOf(folder: string): string | null {
  const file = join(folder, REQUIREMENTS_FILE);
  return existsSync(file) ? file : null;
}

/** Where the build of these requirements for this runtime and architecture lives (built or not). */
export function dependenciesDir(build: Pick<RequirementsBuild, "file" | "runtime" | "architecture" | "env">, text?: Buffer): string {
  const hash = createHash("sha256")
    .update(text ?? readFileSync(build.file))
    .digest("hex")
    .slice(0, 32);
  return join(userCacheDir(build.env), "python-deps", `${build.runtime}-${build.architecture}-${hash}`);
}

/**
 * The built dependencies, from the cache or built now with pip (`onBuild` is told first: it takes a while).
 * Built into a folder of its own and renamed into place once complete, so a failed or concurrent build never
 * leaves a half-filled cache entry.
 */
export async function buildDependencies(build: RequirementsBuild, onBuild?: (started: BuildStart) => void): Promise<BuiltDependencies> {
  const platform = PIP_PLATFORMS[build.architecture];
  const dir = dependenciesDir(build);
  if (existsSync(dir)) return { dir, cached: true, packages: installedPackages(dir), platform };
  mkdirSync(dirname(dir), { recursive: true });
  const partial = `${dir}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
  const version = build.runtime.replace(/^python/, "");
  const args = [
    "-m", "pip", "install",
    "--requirement", build.file,
    "--target", partial,
    "--platform", platform,
    "--implementation", "cp",
    "--python-version", version,
    "--only-binary=:all:",
    // Bytecode compiled by this machine's Python would be for its version, not the runtime's.
    "--no-compile",
  ];
  onBuild?.({ file: build.file, runtime: build.runtime, platform, dir });
  try {
    await runPip(build, build.python(), args);
    mkdirSync(partial, { recursive: true }); // requirements with no package: pip makes no folder
    try {
      renameSync(partial, dir);
    } catch (error) {
      if (!existsSync(dir)) throw error; // else another build of the same requirements got there first
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return { dir, cached: false, packages: installedPackages(dir), platform };
}

/** The built folder's files for the zip, by `/`-separated path; bytecode and links left out. */
export function dependencyFiles(dir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const walk = (folder: string, prefix: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const stat = lstatSync(path);
      if (stat.isDirectory() && name !== "__pycache__") walk(path, `${prefix}${name}/`);
      else if (stat.isFile() && !name.endsWith(".pyc")) files[`${prefix}${name}`] = readFileSync(path);
    }
  };
  walk(dir, "");
  return files;
}

function installedPackages(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const dist = /^(.+)-([^-]+)\.dist-info$/.exec(entry);
      return dist ? [`${dist[1]} ${dist[2]}`] : [];
    })
    .sort();
}

/** Runs pip in the requirements' folder (so its relative paths resolve), with the user's environment as it is. */
function runPip(build: RequirementsBuild, python: string, args: string[]): Promise<void> {
  const shown = build.shownAs ?? build.file;
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, {
      cwd: dirname(build.file),
      env: build.env,
      // No prompt can be answered (a keyring or proxy password): pip fails instead of waiting.
      stdio: ["ignore", "pipe", "pipe"],
      ...(build.signal ? { signal: build.signal } : {}),
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      if (output.length < OUTPUT_LIMIT) output += chunk.toString("utf8");
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, PIP_TIMEOUT_MS);
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.name === "AbortError") reject(new RequirementsError(`pip install -r ${shown} was stopped.`));
      else reject(new RequirementsError(`Could not run ${python} to install ${shown}: ${error.message}. Set PIPES_PYTHON to a Python interpreter that has pip.`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      if (timedOut) return reject(new RequirementsError(`pip install -r ${shown} did not finish in ${PIP_TIMEOUT_MS / 60_000} minutes: is pip's index reachable?`));
      reject(new RequirementsError(pipFailure({ ...build, python }, output)));
    });
  });
}

/** What to tell the user when pip failed: the package without a wheel by name and what to do, else pip's own errors. */
export function pipFailure(build: Pick<RequirementsBuild, "file" | "shownAs" | "runtime" | "architecture"> & { python: string }, output: string): string {
  const shown = build.shownAs ?? build.file;
  const platform = PIP_PLATFORMS[build.architecture];
  if (/No module named pip\b/.test(output)) {
    return `${build.python} has no pip, so ${shown} cannot be built: install pip for it (${build.python} -m ensurepip), or set PIPES_PYTHON to an interpreter that has it.`;
  }
  const errors = output
    .split("\n")
    .filter((line) => /^ERROR:/.test(line))
    .map((line) => `  ${line}`);
  const pipSaid = errors.length > 0 ? errors : output.trim().split("\n").slice(-20).map((line) => `  ${line}`);
  const missing = /No matching distribution found for (\S+)/.exec(output)?.[1];
  if (missing) {
    const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(missing)?.[0] ?? missing;
    // pip lists the versions it found that would install here (a wheel for the platform): none, or not the pinned one.
    const versions = /Could not find a version that satisfies the requirement \S+ \(from versions: ([^)]*)\)/.exec(output)?.[1]?.trim();
    const pipSaysTail = ` pip said:\n${pipSaid.join("\n")}`;
    if (versions && versions !== "none") {
      const listed = versions.split(/,\s*/);
      const shownVersions = listed.length > 8 ? `${listed.slice(0, 3).join(", ")}, …, ${listed.slice(-4).join(", ")}` : listed.join(", ");
      return (
        `${shown}: ${missing} is not among the versions of ${name} pip's index has for Lambda's ${build.runtime} on ${build.architecture} (${platform}): ${shownVersions}. ` +
        `Require one of those (a version with a ${platform} or pure-Python wheel).${pipSaysTail}`
      );
    }
    // "none": the index has no wheel of it for this platform, or does not have it at all (a typo, an index not
    // reachable from here); pip cannot tell them apart, so both are said, the wheel first (the usual cause).
    return (
      `${shown}: pip found no version of ${name} that installs on Lambda's ${build.runtime} on ${build.architecture} (${platform}): ` +
      `it publishes no such wheel (nor a pure-Python one), and Lambda cannot build it from source; or pip's index does not have it ` +
      `(check the name, and that the index is reachable from here: pip config, PIP_INDEX_URL). ` +
      `Pin a version of ${name} that publishes such a wheel; or build its wheel yourself on Linux (pip wheel ${name}) and add that folder to pip's find-links (PIP_FIND_LINKS); ` +
      `or vendor it into the function's folder and take it out of requirements.txt (or deploy with --no-deps-build).${pipSaysTail}`
    );
  }
  return `pip could not install ${shown} for Lambda's ${build.runtime} on ${build.architecture} (${platform}):\n${pipSaid.join("\n")}`;
}
