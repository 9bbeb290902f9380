/**
 * Asset selections as Dagster and dbt users type them. Pure.
 *
 *   name        the asset            +name / 2+name   it and what it depends on (all, or 2 levels up)
 *   key:raw_*   keys matching a glob name+ / name+1  it and what depends on it (all, or 1 level down)
 *   tag:k=v     assets with that tag     tag:k            assets with tag k, whatever its value
 *   group:g     assets in group g (`*` and `?` work in every pattern, a bare name too: `raw_*` is `key:raw_*`)
 *
 * Several selections are a union; `exclude` selections are taken away afterwards.
 */
export interface SelectableAsset {
  key: string;
  deps: string[];
  tags?: Record<string, string>;
  group?: string | null;
}

export interface SelectionResult {
  keys: Set<string>;
  /** Each selection that matched nothing, as typed. */
  unmatched: string[];
}

const TERM = /^(?:(\d*)\+)?(.+?)(?:\+(\d*))?$/;

export function evaluateSelection(assets: SelectableAsset[], selections: string[], exclude: string[] = []): SelectionResult {
  const chosen = union(assets, selections);
  const removed = union(assets, exclude);
  for (const key of removed.keys) chosen.keys.delete(key);
  return { keys: chosen.keys, unmatched: [...chosen.unmatched, ...removed.unmatched] };
}

function union(assets: SelectableAsset[], selections: string[]): SelectionResult {
  const keys = new Set<string>();
  const unmatched: string[] = [];
  for (const selection of selections) {
    const found = term(assets, selection.trim());
    if (found.size === 0) unmatched.push(selection);
    for (const key of found) keys.add(key);
  }
  return { keys, unmatched };
}

function term(assets: SelectableAsset[], text: string): Set<string> {
  const match = TERM.exec(text);
  if (!match) return new Set();
  const [, up, core, down] = match as unknown as [string, string | undefined, string, string | undefined];
  const roots = assets.filter(matcher(core));
  const result = new Set(roots.map((a) => a.key));
  if (up !== undefined) walk(result, roots.map((a) => a.key), depth(up), (key) => assets.find((a) => a.key === key)?.deps ?? []);
  if (down !== undefined) walk(result, roots.map((a) => a.key), depth(down), (key) => assets.filter((a) => a.deps.includes(key)).map((a) => a.key));
  return result;
}

/** What the core of a term (without its `+`s) matches. */
function matcher(core: string): (asset: SelectableAsset) => boolean {
  const colon = core.indexOf(":");
  const kind = colon > 0 ? core.slice(0, colon) : "";
  const pattern = core.slice(colon + 1);
  if (kind === "key") return (a) => glob(pattern).test(a.key);
  if (kind === "group") return (a) => a.group != null && glob(pattern).test(a.group);
  if (kind === "tag") {
    const eq = pattern.indexOf("=");
    const name = eq < 0 ? pattern : pattern.slice(0, eq);
    const value = eq < 0 ? null : glob(pattern.slice(eq + 1));
    return (a) => a.tags !== undefined && Object.hasOwn(a.tags, name) && (value === null || value.test(a.tags[name]!));
  }
  // A bare glob is a key glob, as dbt reads `stg_*` (a key that itself holds `*` or `?` still matches itself).
  if (/[*?]/.test(core)) return (a) => glob(core).test(a.key);
  return (a) => a.key === core;
}

const depth = (digits: string) => (digits === "" ? Number.POSITIVE_INFINITY : Number(digits));

function walk(into: Set<string>, from: string[], levels: number, next: (key: string) => string[]): void {
  let frontier = from;
  for (let level = 0; level < levels && frontier.length > 0; level++) {
    const found: string[] = [];
    for (const key of frontier) {
      for (const other of next(key)) {
        if (!into.has(other)) {
          into.add(other);
          found.push(other);
        }
      }
    }
    frontier = found;
  }
}

/** `*` any run of characters, `?` one; everything else literal. */
function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}
