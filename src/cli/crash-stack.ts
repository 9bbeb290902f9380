/**
 * A crash's stack as the sources say it: the CLI runs from an esbuild bundle (dist/cli-bundle/main.cjs), whose
 * positions mean nothing in a bug report. Each bundle frame is mapped through the bundle's own source map
 * (node:module's SourceMap, no flag needed: source maps stay off at start, where they would cost every command) to
 * `src/…/file.ts:line:column`. Only ever called on a crash; anything it cannot map stays as it was.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_ROOT } from "./version.js";

export function sourceMappedStack(stack: string): string {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (file: string): SourceMap | null => {
    if (!maps.has(file)) {
      const path = `${file}.map`;
      maps.set(file, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, "utf8"))) : null);
    }
    return maps.get(file)!;
  };
  return stack.replace(/(file:\/\/\/[^\s():]+\.c?js|\/[^\s():]+\.c?js):(\d+):(\d+)/g, (whole, where: string, line: string, column: string) => {
    try {
      const file = where.startsWith("file:") ? fileURLToPath(where) : where;
      if (!/[/\\]dist[/\\]cli-bundle[/\\]/.test(file)) return whole;
      const entry = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
      if (!entry || !("originalSource" in entry) || !entry.originalSource) return whole;
      const source = entry.originalSource.startsWith("file:") ? fileURLToPath(entry.originalSource) : resolve(dirname(file), entry.originalSource);
      return `${relative(PACKAGE_ROOT, source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    } catch {
      return whole;
    }
  });
}
