import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Whether git already ignores `path` (the project's .gitignore files, .git/info/exclude, the user's global excludes):
 * git itself answers, so every rule of its syntax counts. Outside a repository, or without git, the answer is no.
 * Bounded: a git that does not answer in 2 s counts as no.
 */
export function gitIgnores(path: string): boolean {
  const r = spawnSync("git", ["check-ignore", "-q", "--no-index", path], { cwd: dirname(path), stdio: "ignore", timeout: 2000 });
  return r.status === 0;
}

/** Whether a .gitignore's text has a line for `.pipes/` (as `pipes init` writes it). */
export function listsPipesFolder(gitignore: string): boolean {
  return gitignore.split("\n").some((line) => /^\/?\.pipes\/?$/.test(line.trim()));
}

/**
 * Whether `.pipes/` in `folder` is taken care of: git ignores it, or, outside a repository (where git cannot say),
 * the folder's own .gitignore lists it, as `pipes init` writes it, ready for a `git init`.
 */
export function pipesFolderIgnored(folder: string): boolean {
  if (gitIgnores(join(folder, ".pipes"))) return true;
  const gitignore = join(folder, ".gitignore");
  return existsSync(gitignore) && listsPipesFolder(readFileSync(gitignore, "utf8"));
}
