/**
 * The definitions' functions whose runtime AWS has deprecated (or blocked) on a given day: one sentence each,
 * naming the function, the assets that call it, its dates and the runtime to move to. Pure.
 */
import { deprecationNotice } from "../facts/runtimes.js";
import type { Asset, ResolvedDefinitions } from "./normalized.js";
import { loggingNotices } from "./logging-notices.js";

/**
 * What list, --plan, materialize and dev say before running: deprecated runtimes, then (given the resolved
 * definitions) functions whose messages their log level would drop (logging-notices.ts, which reads handler files).
 */
export function runtimeNotices(defs: Pick<ResolvedDefinitions, "functions"> & Partial<Pick<ResolvedDefinitions, "profile" | "file">>, assets: readonly Asset[], today: string): string[] {
  const callers = new Map<string, string[]>();
  for (const asset of assets) {
    if (!asset.function || asset.run || !defs.functions.has(asset.function)) continue;
    const list = callers.get(asset.function) ?? [];
    list.push(asset.key);
    callers.set(asset.function, list);
  }
  const notices: string[] = [];
  for (const [name, keys] of callers) {
    const notice = deprecationNotice(defs.functions.get(name)!.runtime, today);
    if (!notice) continue;
    const shown = keys.length > 3 ? `${keys.slice(0, 3).join(", ")} and ${keys.length - 3} more` : keys.join(", ");
    notices.push(`function ${name} (${keys.length === 1 ? "asset" : "assets"} ${shown}): ${notice}`);
  }
  if (defs.profile && defs.file) notices.push(...loggingNotices({ functions: defs.functions, profile: defs.profile, file: defs.file }, assets));
  return notices;
}
