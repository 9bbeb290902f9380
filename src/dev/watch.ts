/**
 * Watches a project folder and reports the files that changed, in batches: an editor's save is often
 * several events (write, rename, chmod), and one batch means one reload.
 */
import { watch, type FSWatcher } from "node:fs";
import { join } from "node:path";

const IGNORED = /(^|\/)(node_modules|\.git|__pycache__|\.pipes|dist|coverage)(\/|$)|\.pyc$|~$|\.swp$|\.tmp$/;
const SETTLE_MS = 60;

export interface Watcher {
  close(): void;
}

export function watchTree(root: string, onChange: (files: string[]) => void): Watcher {
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(root, { recursive: true }, (_event, name) => {
    if (!name || IGNORED.test(name.toString())) return;
    pending.add(join(root, name.toString()));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending].sort();
      pending = new Set();
      onChange(files);
    }, SETTLE_MS);
  });
  watcher.on("error", () => undefined); // a folder removed under us: nothing to watch there any more
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
