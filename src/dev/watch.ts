/**
 * Watches a project folder and reports the files that changed, in batches: an editor's save is often
 * several events (write, rename, chmod), and one batch means one reload.
 *
 * chokidar (vite's watcher) rather than Node's recursive fs.watch: an editor that saves by writing a new file
 * and renaming it over the old one (vim's backupcopy, JetBrains' safe write, `sed -i`, `git checkout`) replaces
 * the inode fs.watch was following, after which Node 20 reports nothing more for that file; chokidar re-watches.
 */
import { existsSync } from "node:fs";
import { sep } from "node:path";
import { watch } from "chokidar";

/** Folders never worth a reload, and the temp files editors write beside the real one while saving. */
const IGNORED_DIRS = /(^|[/\\])(node_modules|\.git|__pycache__|\.pipes|dist|coverage|\.venv|venv)([/\\]|$)/;
const EDITOR_TEMP = /(\.pyc|~|\.swp|\.swx|\.tmp|___jb_tmp___|___jb_old___)$|(^|[/\\])(4913|\.#[^/\\]*|\.~[^/\\]*)$/;
const SETTLE_MS = 60;
/** A file created and removed within this time was part of a save, not a file of the project. */
const SCAFFOLDING_MS = 2000;

export interface Watcher {
  /** Resolves once the initial scan is done: changes after it are reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function isIgnored(path: string): boolean {
  return IGNORED_DIRS.test(path) || EDITOR_TEMP.test(path);
}

/**
 * `onChange` gets each settled batch. `onSeen`, if given, gets every file event at once, before its batch settles:
 * for work worth starting early (pipes dev starts a changed function's fresh worker then), which must be safe to
 * do again for each event of a save, since the last event's comes after the save's last write.
 */
export function watchTree(root: string, onChange: (files: string[]) => void, onSeen?: (file: string) => void): Watcher {
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(root, {
    ignoreInitial: true,
    // Paths inside `root` only: what is above it is not the project's.
    ignored: (path) => path !== root && path.startsWith(root + sep) && isIgnored(path.slice(root.length)),
    // A save by rename arrives as unlink + add within a moment: reported as one change of the file.
    atomic: true,
  });
  // A file that came and went within moments is a save's scaffolding (sed -i's sedXXXXXX, a tool's temp file
  // renamed over the real one): not a change of the project, and not worth naming.
  const added = new Map<string, number>();
  const settle = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      // A file that came and is already gone is a save's scaffolding, though its unlink is not here yet: chokidar
      // holds unlinks back 100 ms (`atomic`, to pair them with an add), longer than this batch waits. An editor
      // that writes its temp file a moment before renaming it over the real one would otherwise have the temp
      // file named beside the real one ("ingest.mjs, ingest.mjs.tmp changed").
      const files = [...pending].filter((path) => !(added.has(path) && !existsSync(path))).sort();
      pending = new Set();
      if (files.length > 0) onChange(files);
    }, SETTLE_MS);
  };
  const changed = (path: string) => {
    onSeen?.(path);
    pending.add(path);
    settle();
  };
  watcher.on("change", changed);
  watcher.on("add", (path) => {
    const now = Date.now();
    for (const [old, at] of added) if (now - at > SCAFFOLDING_MS) added.delete(old);
    added.set(path, now);
    changed(path);
  });
  watcher.on("unlink", (path) => {
    const at = added.get(path);
    added.delete(path);
    if (at !== undefined && Date.now() - at <= SCAFFOLDING_MS) {
      onSeen?.(path);
      pending.delete(path);
      settle();
    } else changed(path);
  });
  watcher.on("error", () => undefined); // a folder removed under us: nothing to watch there any more
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
