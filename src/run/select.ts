import type { Asset } from "../defs/normalized.js";
import { UserError } from "../errors.js";
import { didYouMean } from "../util/suggest.js";

/**
 * The assets a run materializes, in dependency order: the ones named, plus with `upstream` everything they
 * depend on. An unknown key is a usage error that lists the known ones.
 */
export function selectAssets(assets: Asset[], keys: string[], options: { upstream: boolean; file: string }): Asset[] {
  const byKey = new Map(assets.map((a) => [a.key, a]));
  const unknown = keys.filter((k) => !byKey.has(k));
  if (unknown.length > 0) {
    const hints = unknown.map((k) => `"${k}"${didYouMean(k, byKey.keys())}`).join(", ");
    throw new UserError(
      `Unknown asset${unknown.length > 1 ? "s" : ""} ${hints} in ${options.file}.\nKnown assets: ${[...byKey.keys()].join(", ")}`,
    );
  }
  const selected = new Set(keys);
  if (options.upstream) {
    const add = (key: string) => {
      for (const dep of byKey.get(key)?.deps ?? []) {
        if (!selected.has(dep)) {
          selected.add(dep);
          add(dep);
        }
      }
    };
    for (const key of keys) add(key);
  }
  return assets.filter((a) => selected.has(a.key));
}
