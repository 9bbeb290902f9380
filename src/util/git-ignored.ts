import { spawnSync } from "node:child_process";
import { dirname } from "node:path";

/**
 * Whether git already ignores `path` (the project's .gitignore files, .git/info/exclude, the user's global excludes):
 * git itself answers, so every rule of its syntax counts. Outside a repository, or without git, the answer is no.
 * Bounded: a git that does not answer in 2 s counts as no.
 */
export function gitIgnores(path: string): boolean {
  const r = spawnSync("git", ["check-ignore", "-q", "--no-index", path], { cwd: dirname(path), stdio: "ignore", timeout: 2000 });
  return r.status === 0;
}
