import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/**
 * The user's cache folder for pipes: `$XDG_CACHE_HOME/pipes` (an absolute XDG_CACHE_HOME, as the XDG spec asks),
 * else `~/.cache/pipes`. What pipes builds or fetches once for every project goes there, never into a project.
 */
export function userCacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME?.trim();
  return join(xdg && isAbsolute(xdg) ? xdg : join(env.HOME?.trim() || homedir(), ".cache"), "pipes");
}
