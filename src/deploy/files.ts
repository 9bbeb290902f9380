/**
 * Which files of a function's folder go into its zip. Never by accident a secret: `.env*` and `.envrc`, private
 * keys, credentials folders and files (`.aws/`, `.ssh/`, `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`,
 * `credentials.json`, cloud service-account keys, Terraform state and variables) and `.git` stay out by default
 * and are named, so the user sees what was kept back; a link is judged by its name and by what it points to (a
 * `readme.txt` that links to `.env` is `.env`). The folder's `.gitignore` is not read: what a function ships is
 * often built output that git ignores. A `.pipesignore` file in the
 * folder (gitignore syntax, via the `ignore` package: the matcher ESLint and Prettier use) and the function's
 * `include` / `exclude` patterns in the defs file decide the rest: `include` keeps only what it matches (so
 * functions that share a folder can each ship their own files) and overrides the defaults and `.pipesignore`
 * (a pattern that names a secret-like file ships it on purpose); `exclude` always leaves out what it matches.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ignore, { type Ignore } from "ignore";

/** Secret-like files: left out unless `include` names them. */
const SECRETS = [
  ".env",
  ".env.*",
  ".envrc",
  "credentials.json",
  "client_secret*.json",
  "serviceAccount*.json",
  "service-account*.json",
  "*.tfstate",
  "*.tfstate.*",
  "*.tfvars",
  "*.tfvars.json",
  "*.pem",
  "*.key",
  "*.p12",
  "*.pfx",
  "id_rsa*",
  "id_dsa*",
  "id_ecdsa*",
  "id_ed25519*",
  ".aws/",
  ".ssh/",
  ".npmrc",
  ".pypirc",
  ".netrc",
  ".git-credentials",
  ".git/",
];
/** Never useful in a zip, left out silently. */
const NOISE = ["__pycache__/", "*.pyc", ".DS_Store", ".pipes/", ".pipesignore"];

export const IGNORE_FILE = ".pipesignore";

export interface FileRules {
  /** gitignore-style patterns: when given, only matching files ship. */
  include?: string[];
  /** gitignore-style patterns left out on top of the defaults and `.pipesignore`. */
  exclude?: string[];
  /** Ship the folder's node_modules too. */
  includeNodeModules?: boolean;
  /** Absolute paths never to ship (e.g. the zip being written inside the folder). */
  skipPaths?: string[];
}

export interface FileSelection {
  /** Paths relative to the folder, `/`-separated, sorted. */
  files: string[];
  /** Secret-like files and folders that were left out, relative to the folder. */
  secrets: string[];
  /** Links that point outside the folder, left out. */
  outsideLinks: string[];
}

export function selectFiles(folder: string, rules: FileRules = {}): FileSelection {
  const root = realpathSync(folder);
  const secrets = ignore().add(SECRETS);
  const noise = ignore().add(NOISE);
  const own = ignore().add(readIgnoreFile(folder));
  if (!rules.includeNodeModules) own.add("node_modules/");
  const exclude = ignore().add(rules.exclude ?? []);
  const include: Ignore | null = rules.include?.length ? ignore().add(rules.include) : null;
  const skip = new Set(rules.skipPaths ?? []);
  const selection: FileSelection = { files: [], secrets: [], outsideLinks: [] };

  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (skip.has(path)) continue;
      const rel = relative(folder, path).split(sep).join("/");
      let stat: ReturnType<typeof statSync>;
      /** A link's target, relative to the folder, as `ignore` is asked about it; null for a file or folder. */
      let target: string | null = null;
      try {
        if (lstatSync(path).isSymbolicLink()) {
          const real = realpathSync(path);
          if (!real.startsWith(root + sep)) {
            selection.outsideLinks.push(rel);
            continue;
          }
          target = relative(root, real).split(sep).join("/");
        }
        stat = statSync(path);
      } catch {
        continue; // a dangling link, or gone meanwhile
      }
      const asked = stat.isDirectory() ? `${rel}/` : rel;
      const targetAsked = target === null ? null : stat.isDirectory() ? `${target}/` : target;
      if (noise.ignores(asked) || exclude.ignores(asked)) continue;
      const wanted = include?.ignores(asked) ?? false;
      // A link to a secret ships only when `include` names the secret itself.
      const secretTarget = targetAsked !== null && secrets.ignores(targetAsked) && !(include?.ignores(targetAsked) ?? false);
      if ((secrets.ignores(asked) && !wanted) || secretTarget) {
        selection.secrets.push(secretTarget ? `${asked} → ${targetAsked}` : asked);
        continue;
      }
      if (own.ignores(asked) && !wanted) continue;
      if (stat.isDirectory()) walk(path);
      // `ignores` matches a path inside a matching folder too (`include: ["lib/"]` takes lib's files).
      else if (stat.isFile() && (!include || wanted)) selection.files.push(rel);
    }
  };
  walk(folder);
  selection.files.sort();
  return selection;
}

function readIgnoreFile(folder: string): string {
  try {
    return readFileSync(join(folder, IGNORE_FILE), "utf8");
  } catch {
    return "";
  }
}
