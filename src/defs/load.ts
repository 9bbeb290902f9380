/**
 * Loads a definitions file with jiti (TypeScript, the user's own imports, npm packages) and turns it into
 * ResolvedDefinitions for one profile. Every failure is a UserError naming the file.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { isLayerArn, missingLayerFolders } from "./layers.js";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DefinitionsError, ExitCode, UserError, type Problem } from "../errors.js";
import { requireCjs } from "../util/cjs.js";
import { displayPath } from "../util/paths.js";
import { handlerFileCandidates } from "./handler-path.js";
import type { ResolvedDefinitions, ValidDefinitions } from "./normalized.js";
import { chooseProfile } from "./profile.js";
import { checkProfile, validateDefinitions } from "./validate.js";

export const DEFS_FILE_NAMES = ["defs.ts", "pipes.defs.ts"];

/**
 * The package's own entry, so `import ... from "lambda-pipes"` (its npm name) and `"pipes"` (the name older defs
 * files use) resolve in any defs file to the running CLI, whatever else is installed beside it.
 */
const PACKAGE_ENTRY = fileURLToPath(new URL("../index.js", import.meta.url));
/** Stack frames of pipes itself, left out of a user's load error. */
const OWN_CODE = [fileURLToPath(new URL("../", import.meta.url)), fileURLToPath(new URL("../../bin/", import.meta.url))];

export interface LoadOptions {
  file?: string | undefined;
  profile?: string | undefined;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** `-f FILE`, or `defs.ts` / `pipes.defs.ts` in the working directory. */
export function findDefinitionsFile(file: string | undefined, cwd: string): string {
  if (file) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw new UserError(`Definitions file not found: ${file} (looked at ${path}).`);
    if (statSync(path).isDirectory()) {
      const inside = DEFS_FILE_NAMES.map((n) => join(path, n)).find((p) => existsSync(p));
      if (inside) return inside;
      throw new UserError(`${file} is a folder without ${DEFS_FILE_NAMES.join(" or ")} in it.`);
    }
    return path;
  }
  const found = DEFS_FILE_NAMES.map((n) => join(cwd, n)).find((p) => existsSync(p));
  if (found) return found;
  throw new UserError(
    `No definitions file: looked for ${DEFS_FILE_NAMES.join(" and ")} in ${cwd}. Pass one with -f FILE, ` +
      "or run `pipes init` to start a project here (a defs.ts, a Node.js and a Python function that run at once).",
  );
}

export async function loadDefinitions(options: LoadOptions): Promise<ResolvedDefinitions> {
  const file = findDefinitionsFile(options.file, options.cwd);
  const shown = displayPath(file, options.cwd);
  const exported = await importDefinitions(file, shown);
  const { definitions, problems } = validateDefinitions(exported);
  const choice = chooseProfile({ flag: options.profile, env: options.env.PIPES_PROFILE, fileDefault: definitions.defaultProfile });
  problems.push(...checkProfile(definitions, choice.name, choice.source));
  const profile = definitions.profiles.get(choice.name);
  if (profile?.lambda.kind === "emulator") problems.push(...missingHandlerFiles(definitions, dirname(file), options.cwd), ...layerArnsOnEmulator(definitions));
  problems.push(...missingLayerFolders(definitions.functions.values(), dirname(file)));
  // A --profile or PIPES_PROFILE the file does not have, and nothing else wrong: the flag is at fault, not the file.
  if (!profile && problems.length === 1 && (choice.source === "--profile" || choice.source === "PIPES_PROFILE")) {
    throw new UserError(`${problems[0]!.where}: ${problems[0]!.message} (in ${shown})`, ExitCode.usage);
  }
  if (problems.length > 0 || !profile) throw new DefinitionsError(shown, problems);
  return { ...definitions, file, profile, profileSource: choice.source };
}

async function importDefinitions(file: string, shown: string): Promise<unknown> {
  const { createJiti } = requireCjs("jiti") as typeof import("jiti");
  const jiti = createJiti(import.meta.url, {
    moduleCache: false,
    interopDefault: false,
    alias: { "lambda-pipes": PACKAGE_ENTRY, pipes: PACKAGE_ENTRY },
  });
  let module: unknown;
  try {
    module = await jiti.import(file);
  } catch (error) {
    throw loadError(error, file, shown);
  }
  const exported = (module as { default?: unknown } | undefined)?.default;
  if (exported === undefined) {
    throw new UserError(
      `${shown} has no default export. End it with:\n  export default defineDefinitions({ assets: { ... } });`,
    );
  }
  if (typeof exported !== "function") return exported;
  try {
    return await (exported as () => unknown)();
  } catch (error) {
    throw loadError(error, file, shown);
  }
}

/** A syntax error with its line and a code frame, or the error the file threw with the user's frames. */
function loadError(error: unknown, file: string, shown: string): UserError {
  const message = error instanceof Error ? error.message : String(error);
  const parse = /^(?:ParseError|SyntaxError): (.*?)\s*\n\s*(\S+?):(\d+):(\d+)\s*$/s.exec(message);
  if (parse) {
    const [, what, where, line, column] = parse;
    const location = `${resolve(where!) === file ? shown : where}:${line}:${column}`;
    return new UserError(`${location}: syntax error: ${what}${codeFrame(where!, Number(line), Number(column))}`);
  }
  const frames = (error instanceof Error ? (error.stack ?? "") : "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l) && !/node_modules|node:internal/.test(l) && !OWN_CODE.some((dir) => l.includes(dir)))
    .slice(0, 3);
  const name = error instanceof Error && error.name !== "Error" ? `${error.name}: ` : "";
  return new UserError(`${shown} failed to load: ${name}${message}${frames.length ? `\n${frames.join("\n")}` : ""}`);
}

function codeFrame(file: string, line: number, column: number): string {
  try {
    const text = readFileSync(file, "utf8").split("\n")[line - 1];
    if (text === undefined) return "";
    return `\n\n  ${line} | ${text}\n  ${" ".repeat(String(line).length)} | ${" ".repeat(Math.max(0, column - 1))}^`;
  } catch {
    return "";
  }
}

/** The embedded emulator has no published layers: an ARN there cannot be resolved. */
function layerArnsOnEmulator(definitions: ValidDefinitions): Problem[] {
  return [...definitions.functions.values()].flatMap((fn) =>
    fn.layers.filter(isLayerArn).map((arn) => ({
      where: `function "${fn.name}"`,
      message: `layer ${arn} is an ARN, which the embedded emulator cannot resolve (nothing is published to it): use the layer's folder (laid out as /opt), or a profile whose lambda is AWS or a \`pipes emulator\` it was published to`,
    })),
  );
}

/** On the emulator a handler must point at a file that exists; say which paths were tried. */
function missingHandlerFiles(definitions: ValidDefinitions, root: string, cwd: string): Problem[] {
  const problems: Problem[] = [];
  for (const fn of definitions.functions.values()) {
    if (!fn.handler) continue;
    const candidates = handlerFileCandidates(root, fn.handler, fn.runtime);
    if (!candidates.some((p) => existsSync(p))) {
      problems.push({
        where: `function "${fn.name}"`,
        message: `handler "${fn.handler}" names no file: tried ${candidates.map((p) => displayPath(p, cwd)).join(", ")}`,
      });
    }
  }
  return problems;
}
