import type { Asset } from "../defs/normalized.js";
import { UserError } from "../errors.js";
import { didYouMean } from "../util/suggest.js";
import { evaluateSelection } from "./selection.js";

/**
 * The assets a run materializes, in dependency order: what the selections match (see selection.ts: names,
 * `+name`, `name+`, `2+name`, `key:raw_*`, `tag:k=v`, `group:g`), plus with `upstream` everything they depend on, minus `exclude`. A
 * selection that matches nothing is a usage error that says what matched and what exists.
 */
export function selectAssets(assets: Asset[], selections: string[], options: { upstream: boolean; file: string; exclude?: string[] }): Asset[] {
  const terms = options.upstream ? selections.map((s) => (s.startsWith("+") || /^\d+\+/.test(s) ? s : `+${s}`)) : selections;
  const { keys, unmatched } = evaluateSelection(assets, terms, options.exclude ?? []);
  const known = assets.map((a) => a.key);
  if (unmatched.length > 0) {
    const plain = unmatched.filter((s) => !/^(key|tag|group):/.test(s) && !s.includes("+") && !/[*?]/.test(s));
    const patterns = unmatched.filter((s) => !plain.includes(s));
    const parts = [
      plain.length ? `Unknown asset${plain.length > 1 ? "s" : ""} ${plain.map((k) => `"${k}"${didYouMean(k, known)}`).join(", ")}` : "",
      patterns.length ? `${patterns.map((k) => `"${k}"`).join(", ")} matched no asset` : "",
    ].filter(Boolean);
    throw new UserError(`${parts.join("; ")} in ${options.file}.\nKnown assets: ${known.join(", ")}${vocabulary(assets, unmatched)}`);
  }
  if (keys.size === 0) {
    throw new UserError(`The selection matched nothing once --exclude was taken away (${selections.join(" ")} minus ${(options.exclude ?? []).join(" ")}).\nKnown assets: ${known.join(", ")}`);
  }
  return assets.filter((a) => keys.has(a.key));
}

/** The groups and tags there are, when a `group:` or `tag:` selection matched nothing. */
function vocabulary(assets: Asset[], unmatched: string[]): string {
  const lines: string[] = [];
  if (unmatched.some((s) => s.includes("group:"))) {
    const groups = [...new Set(assets.flatMap((a) => (a.group ? [a.group] : [])))];
    lines.push(`Groups: ${groups.length ? groups.join(", ") : "none (an asset's group field sets one)"}`);
  }
  if (unmatched.some((s) => s.includes("tag:"))) {
    const tags = [...new Set(assets.flatMap((a) => Object.entries(a.tags).map(([k, v]) => (v ? `${k}=${v}` : k))))];
    lines.push(`Tags: ${tags.length ? tags.join(", ") : "none (an asset's tags field sets them)"}`);
  }
  return lines.map((l) => `\n${l}`).join("");
}
