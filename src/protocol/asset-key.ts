/**
 * Asset keys on the wire are Dagster's "escaped user strings": the parts joined by `/`, with a `/` or `\`
 * inside a part escaped by a backslash (`AssetKey.to_escaped_user_string` / `from_escaped_user_string`).
 */
export type AssetKeyPath = readonly string[];

export function escapeAssetKey(path: AssetKeyPath): string {
  return path.map((part) => part.replace(/\\/g, "\\\\").replace(/\//g, "\\/")).join("/");
}

/** The inverse of `escapeAssetKey`: `\X` becomes `X`, an unescaped `/` splits parts. */
export function parseEscapedAssetKey(escaped: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < escaped.length; i++) {
    const ch = escaped[i]!;
    if (ch === "\\" && i + 1 < escaped.length) {
      current += escaped[++i];
    } else if (ch === "/") {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** `AssetKey.from_user_string`: the unescaped form used by the `asset` metadata type. */
export function parseUserAssetKey(text: string): string[] {
  return text.split("/");
}

/** Accepts a key written as a path array or as an escaped string and returns the escaped string. */
export function normalizeAssetKey(key: string | AssetKeyPath): string {
  return typeof key === "string" ? key : escapeAssetKey(key);
}
