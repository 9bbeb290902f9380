/**
 * Pure validation of a definitions file's default export. It collects every problem instead of stopping at
 * the first, so a user fixes the file in one pass.
 */
import type { Problem } from "../errors.js";
import { escapeAssetKey } from "../protocol/asset-key.js";
import { didYouMean, quoteList } from "../util/suggest.js";
import { DEFAULT_MEMORY_MB, DEFAULT_RUNTIME, DEFAULT_TIMEOUT_SECONDS, MEMORY_MAX_MB, MEMORY_MIN_MB, TIMEOUT_MAX_SECONDS, TIMEOUT_MIN_SECONDS } from "../facts/lambda.js";
import { parseMemory } from "./memory.js";
import { describePartitions, samePartitions, validatePartitions } from "../partitions/definition.js";
import { isObject, isStringArray, kindOf } from "../util/values.js";
import type { Asset, LambdaFunction, ValidDefinitions } from "./normalized.js";
import { validateProfiles } from "./validate-profiles.js";
import { validateChecks } from "./checks.js";
import { checkEnvironment, validateLogging } from "./logging.js";
import { optionalQualifier, validateQualifier } from "./qualifier.js";
import { validateLayers } from "./layers.js";
import { ARCHITECTURES, type Architecture } from "../facts/pricing.js";
import { RUNTIMES, type Runtime } from "./types.js";


export { DEFAULT_PROFILE } from "./validate-profiles.js";
const DEFAULT_CONCURRENCY = 10;

export function validateDefinitions(raw: unknown): { definitions: ValidDefinitions; problems: Problem[] } {
  const problems: Problem[] = [];
  const report = (where: string, message: string) => problems.push({ where, message });
  const empty: ValidDefinitions = { assets: [], functions: new Map(), profiles: new Map(), defaultProfile: null };
  if (!isObject(raw)) {
    report("", `the default export must be an object (use defineDefinitions({ assets: ... })), got ${kindOf(raw)}`);
    return { definitions: empty, problems };
  }
  for (const key of Object.keys(raw)) {
    if (!["assets", "functions", "profiles", "defaultProfile"].includes(key)) {
      report("", `unknown top-level key "${key}"${didYouMean(key, ["assets", "functions", "profiles", "defaultProfile"])}`);
    }
  }
  const functions = validateFunctions(raw.functions, report);
  const profiles = validateProfiles(raw.profiles, report);
  const assets = orderAssets(validateAssets(raw.assets, report), report);
  let defaultProfile: string | null = null;
  if (raw.defaultProfile !== undefined) {
    if (typeof raw.defaultProfile !== "string") report("defaultProfile", "must be a profile name");
    else defaultProfile = raw.defaultProfile;
  }
  return { definitions: { assets, functions, profiles, defaultProfile }, problems };
}

export type Report = (where: string, message: string) => void;

function validateAssets(raw: unknown, report: Report): Asset[] {
  if (raw === undefined) {
    report("", "no assets: add `assets: { my_asset: { function: \"my_function\" } }`");
    return [];
  }
  let entries: Array<[string | undefined, unknown, string]>;
  if (Array.isArray(raw)) {
    entries = raw.map((a, i) => {
      const key = isObject(a) ? a.key : undefined;
      const escaped = typeof key === "string" ? key : isKeyPath(key) ? escapeAssetKey(key) : undefined;
      if (escaped === undefined) report(`assets[${i}]`, 'needs a key: a string ("a/b") or an array (["a", "b"])');
      return [escaped, a, escaped ? `asset "${escaped}"` : `assets[${i}]`];
    });
  } else if (isObject(raw)) {
    entries = Object.entries(raw).map(([name, a]) => {
      const key = isObject(a) ? a.key : undefined;
      const escaped = key === undefined ? name : typeof key === "string" ? key : isKeyPath(key) ? escapeAssetKey(key) : undefined;
      if (escaped === undefined) report(`asset "${name}"`, 'key must be a string ("a/b") or an array (["a", "b"])');
      return [escaped, a, `asset "${name}"`];
    });
  } else {
    report("assets", `must be an object of assets by key, or an array, got ${kindOf(raw)}`);
    return [];
  }
  const assets: Asset[] = [];
  const seen = new Set<string>();
  for (const [key, def, where] of entries) {
    if (key === undefined) continue;
    if (seen.has(key)) {
      report(where, `duplicate asset key "${key}": each asset key may be defined once`);
      continue;
    }
    seen.add(key);
    if (key === "" || key.split("/").some((part) => part === "")) report(where, "the key has an empty part");
    const asset = validateAsset(def, where, key, report);
    if (asset) assets.push(asset);
  }
  const byKey = new Map(assets.map((a) => [a.key, a]));
  for (const asset of assets) {
    for (const dep of asset.deps) {
      const upstream = byKey.get(dep);
      if (!seen.has(dep)) report(`asset "${asset.key}"`, `depends on "${dep}", which is not an asset${didYouMean(dep, seen)}`);
      else if (upstream?.partitions && asset.partitions && !samePartitions(upstream.partitions, asset.partitions)) {
        report(
          `asset "${asset.key}"`,
          `depends on "${dep}", whose partitions differ (${describePartitions(upstream.partitions)} vs ${describePartitions(asset.partitions)}): pipes maps a partition only to the same key, so give both the same partitions (define them once and share the value)`,
        );
      }
    }
  }
  return assets;
}

function validateAsset(def: unknown, where: string, key: string, report: Report): Asset | undefined {
  if (!isObject(def)) {
    report(where, `must be an object like { function: "name" }, got ${kindOf(def)}`);
    return undefined;
  }
  const known = ["key", "function", "event", "deps", "description", "codeVersion", "partitions", "tags", "group", "checks", "run"];
  for (const k of Object.keys(def)) if (!known.includes(k)) report(where, `unknown field "${k}"${didYouMean(k, known)}`);
  const fn = def.function;
  if (fn !== undefined && (typeof fn !== "string" || fn === "")) report(where, "function must be a function name");
  if (def.run !== undefined && typeof def.run !== "function") report(where, "run must be a function");
  if (fn === undefined && def.run === undefined) {
    report(where, 'has no function: set `function: "<name>"` or write `run({ context, lambda })`');
  }
  if (def.event !== undefined && !isObject(def.event)) report(where, `event must be an object, got ${kindOf(def.event)}`);
  let deps: string[] = [];
  if (def.deps !== undefined) {
    if (!Array.isArray(def.deps)) report(where, "deps must be an array of asset keys");
    else {
      deps = def.deps.flatMap((d) => {
        if (typeof d === "string") return [d];
        if (isKeyPath(d)) return [escapeAssetKey(d)];
        report(where, `deps: ${JSON.stringify(d)} is not an asset key`);
        return [];
      });
    }
  }
  const tags: Record<string, string> = {};
  if (def.tags !== undefined) {
    if (!isObject(def.tags)) report(where, 'tags must be an object of strings, e.g. { team: "growth" }');
    else {
      for (const [k, v] of Object.entries(def.tags)) {
        if (typeof v === "string") tags[k] = v;
        else report(where, `tag ${k} must be a string, got ${kindOf(v)}`);
      }
    }
  }
  const partitions = validatePartitions(def.partitions, (message) => report(where, message));
  const checks = validateChecks(def.checks, (message) => report(where, message));
  for (const field of ["description", "codeVersion", "group"] as const) {
    if (def[field] !== undefined && typeof def[field] !== "string") report(where, `${field} must be a string`);
  }
  return {
    key,
    deps: [...new Set(deps)],
    description: typeof def.description === "string" ? def.description : null,
    function: typeof fn === "string" && fn !== "" ? fn : null,
    event: isObject(def.event) ? def.event : {},
    codeVersion: typeof def.codeVersion === "string" ? def.codeVersion : null,
    partitions,
    tags,
    group: typeof def.group === "string" ? def.group : null,
    checks,
    run: typeof def.run === "function" ? (def.run as Asset["run"]) : null,
  };
}

/** Dependencies first, declaration order otherwise; reports each cycle with its path. */
function orderAssets(assets: Asset[], report: Report): Asset[] {
  const byKey = new Map(assets.map((a) => [a.key, a]));
  const ordered: Asset[] = [];
  const state = new Map<string, "visiting" | "done">();
  const reported = new Set<string>();
  const visit = (asset: Asset, path: string[]) => {
    const s = state.get(asset.key);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...path.slice(path.indexOf(asset.key)), asset.key];
      const id = [...cycle.slice(0, -1)].sort().join("\0");
      if (!reported.has(id)) {
        reported.add(id);
        report(`asset "${asset.key}"`, `dependency cycle: ${cycle.join(" → ")}`);
      }
      return;
    }
    state.set(asset.key, "visiting");
    for (const dep of asset.deps) {
      const target = byKey.get(dep);
      if (target) visit(target, [...path, asset.key]);
    }
    state.set(asset.key, "done");
    ordered.push(asset);
  };
  for (const asset of assets) visit(asset, []);
  return ordered;
}

function validateFunctions(raw: unknown, report: Report): Map<string, LambdaFunction> {
  const functions = new Map<string, LambdaFunction>();
  if (raw === undefined) return functions;
  if (!isObject(raw)) {
    report("functions", `must be an object of functions by name, got ${kindOf(raw)}`);
    return functions;
  }
  for (const [name, def] of Object.entries(raw)) {
    const where = `function "${name}"`;
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) report(where, "a Lambda function name is 1–64 letters, digits, - and _");
    if (!isObject(def)) {
      report(where, `must be an object like { handler: "./handlers/app.handler" }, got ${kindOf(def)}`);
      continue;
    }
    const known = ["handler", "runtime", "memory", "timeout", "environment", "concurrency", "description", "include", "exclude", "architecture", "logging", "qualifier", "layers"];
    for (const k of Object.keys(def)) if (!known.includes(k)) report(where, `unknown field "${k}"${didYouMean(k, known)}`);
    const handler = typeof def.handler === "string" ? def.handler : "";
    if (def.handler !== undefined && !/^[^\s]*[^./\s]\.[A-Za-z_$][\w$.]*$/.test(handler)) {
      report(where, `handler "${String(def.handler)}" must be "<file path>.<export>", e.g. "./handlers/orders.handler"`);
    }
    const runtime = (def.runtime ?? DEFAULT_RUNTIME) as Runtime;
    if (!RUNTIMES.includes(runtime)) {
      report(where, `unknown runtime "${String(def.runtime)}"${didYouMean(String(def.runtime), RUNTIMES)}; known: ${RUNTIMES.join(", ")}`);
    }
    let memoryMb = DEFAULT_MEMORY_MB;
    if (def.memory !== undefined) {
      const parsed = typeof def.memory === "number" || typeof def.memory === "string" ? parseMemory(def.memory) : undefined;
      if (parsed === undefined) report(where, `memory ${JSON.stringify(def.memory)} is not a size: write 512, "512MB" or "2GB"`);
      else if (parsed < MEMORY_MIN_MB || parsed > MEMORY_MAX_MB) {
        report(where, `memory ${parsed} MB is outside Lambda's ${MEMORY_MIN_MB}–${MEMORY_MAX_MB} MB`);
      } else memoryMb = parsed;
    }
    let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    if (def.timeout !== undefined) {
      const t = def.timeout;
      if (typeof t !== "number" || !Number.isInteger(t) || t < TIMEOUT_MIN_SECONDS || t > TIMEOUT_MAX_SECONDS) {
        report(where, `timeout ${JSON.stringify(t)} must be a whole number of seconds from ${TIMEOUT_MIN_SECONDS} to ${TIMEOUT_MAX_SECONDS}`);
      } else timeoutSeconds = t;
    }
    const environment: Record<string, string> = {};
    if (def.environment !== undefined) {
      if (!isObject(def.environment)) report(where, "environment must be an object of strings");
      else {
        for (const [k, v] of Object.entries(def.environment)) {
          if (typeof v !== "string") report(where, `environment variable ${k} must be a string, got ${kindOf(v)}`);
          else environment[k] = v;
        }
      }
    }
    checkEnvironment(environment, where, report);
    let concurrency = DEFAULT_CONCURRENCY;
    if (def.concurrency !== undefined) {
      const c = def.concurrency;
      if (typeof c !== "number" || !Number.isInteger(c) || c < 1) report(where, "concurrency must be a whole number ≥ 1");
      else concurrency = c;
    }
    const architecture = (def.architecture ?? "x86_64") as Architecture;
    if (!ARCHITECTURES.includes(architecture)) report(where, `architecture ${JSON.stringify(def.architecture)} must be "x86_64" or "arm64"`);
    const patterns = (field: "include" | "exclude"): string[] => {
      const value = def[field];
      if (value === undefined) return [];
      if (!Array.isArray(value) || !value.every((p) => typeof p === "string" && p.trim() !== "")) {
        report(where, `${field} must be a list of file patterns (gitignore syntax), e.g. ["*.mjs", "lib/"]`);
        return [];
      }
      return value as string[];
    };
    functions.set(name, {
      name,
      handler,
      include: patterns("include"),
      exclude: patterns("exclude"),
      runtime,
      memoryMb,
      timeoutSeconds,
      environment,
      concurrency,
      concurrencyReserved: def.concurrency !== undefined,
      description: typeof def.description === "string" ? def.description : null,
      architecture: ARCHITECTURES.includes(architecture) ? architecture : "x86_64",
      logging: validateLogging(def.logging, where, report),
      ...optionalQualifier(validateQualifier(def.qualifier, where, report)),
      layers: validateLayers(def.layers, where, report),
    });
  }
  return functions;
}

/**
 * Problems that depend on the chosen profile: an unknown profile, and on the emulator, functions it
 * cannot run (no `functions` entry, or an entry without a handler).
 */
export function checkProfile(definitions: ValidDefinitions, name: string, source: string): Problem[] {
  const profile = definitions.profiles.get(name);
  const known = [...definitions.profiles.keys()];
  if (!profile) {
    const where = source === "defaultProfile" ? "defaultProfile" : source === "PIPES_PROFILE" ? `PIPES_PROFILE=${name}` : `${source} ${name}`;
    return [{ where, message: `unknown profile "${name}"${didYouMean(name, known)}; known profiles: ${quoteList(known)}` }];
  }
  if (profile.lambda.kind !== "emulator") return [];
  const problems: Problem[] = [];
  for (const asset of definitions.assets) {
    if (asset.function && !definitions.functions.has(asset.function)) {
      problems.push({
        where: `asset "${asset.key}"`,
        message: `function "${asset.function}" is not in \`functions\`, so the local emulator (profile "${name}") cannot run it${didYouMean(asset.function, definitions.functions.keys())}`,
      });
    }
  }
  for (const fn of definitions.functions.values()) {
    if (!fn.handler) {
      problems.push({
        where: `function "${fn.name}"`,
        message: `has no handler, which the local emulator (profile "${name}") needs: add handler: "./path/file.export"`,
      });
    }
  }
  return problems;
}

const isKeyPath = (v: unknown): v is string[] => isStringArray(v) && v.length > 0;
