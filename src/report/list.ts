import type { AssetCheck } from "../defs/checks.js";
import type { Asset, ResolvedDefinitions } from "../defs/normalized.js";
import { summarizePartitions } from "../partitions/keys.js";
import { displayPath } from "../util/paths.js";
import type { Output } from "./output.js";
import { effectiveLogging } from "../defs/logging.js";
import { effectiveQualifier } from "../defs/qualifier.js";
import type { LoggingSettings } from "../facts/lambda.js";

/** One row of `pipes list`: also the shape of `--json`'s `assets` entries. */
export interface ListedAsset {
  key: string;
  deps: string[];
  description: string | null;
  /** The function name in the defs file, or null for an asset with its own `run`. */
  function: string | null;
  /** The name that would be invoked under the profile (after the profile's name mapping), `name:qualifier` with one. */
  invokes: string | null;
  /** The version or alias it is invoked with (`qualifier` in the definitions); null: unqualified. */
  qualifier: string | null;
  runtime: string | null;
  /** Its function's logging controls (its own, else the profile's); null: Lambda's default, Text. */
  logging: LoggingSettings | null;
  /** Its function's layers, as written (folders or ARNs). */
  layers: string[];
  custom: boolean;
  /** kind (static, hourly, daily, weekly, monthly), how many there are now, the first and last key. */
  partitions: { kind: string; count: number; first: string | null; last: string | null } | null;
  tags: Record<string, string>;
  group: string | null;
  /** Declared asset checks. */
  checks: AssetCheck[];
}

export function listAssets(defs: ResolvedDefinitions, selected: Asset[] = defs.assets, now = new Date()): ListedAsset[] {
  return selected.map((asset) => {
    const fn = asset.function ? defs.functions.get(asset.function) : undefined;
    const invokes = asset.function ? invokedName(defs, asset.function) : null;
    return {
      key: asset.key,
      deps: asset.deps,
      description: asset.description,
      function: asset.function,
      invokes,
      qualifier: (asset.function && effectiveQualifier(fn, defs.profile)) ?? null,
      runtime: fn?.runtime ?? null,
      logging: asset.function ? effectiveLogging(fn, defs.profile) : null,
      layers: fn?.layers ?? [],
      custom: asset.run !== null,
      partitions: asset.partitions ? summarizePartitions(asset.partitions, now) : null,
      tags: asset.tags,
      group: asset.group,
      checks: asset.checks,
    };
  });
}

/** The name a function of the defs file is invoked by under the profile (after its name mapping on AWS). */
export function deployedName(defs: ResolvedDefinitions, name: string): string {
  const { lambda } = defs.profile;
  return lambda.kind === "aws" ? lambda.functionName(name) : name;
}

/** What Invoke names for a function of the defs file: its deployed name, with `:qualifier` when it has one. */
export function invokedName(defs: ResolvedDefinitions, name: string): string {
  const qualifier = effectiveQualifier(defs.functions.get(name), defs.profile);
  return `${deployedName(defs, name)}${qualifier ? `:${qualifier}` : ""}`;
}

export function describeTarget(defs: ResolvedDefinitions): string {
  const { lambda } = defs.profile;
  if (lambda.kind === "emulator") return "local emulator";
  const where = lambda.endpoint ?? `AWS ${lambda.region ?? "(default region)"}`;
  return lambda.awsProfile ? `${where}, AWS profile ${lambda.awsProfile}` : where;
}

/** `warnings`: what to say under the list (and in `--json`'s `warnings`), e.g. functions on deprecated runtimes. */
export function renderList(defs: ResolvedDefinitions, output: Output, cwd: string, selected?: Asset[], warnings: string[] = []): string {
  const assets = listAssets(defs, selected);
  if (output.mode === "json") {
    const { lambda } = defs.profile;
    return `${JSON.stringify({
      file: defs.file,
      profile: defs.profile.name,
      profileSource: defs.profileSource,
      target: lambda.kind === "emulator" ? { kind: "emulator" } : { kind: "aws", region: lambda.region, endpoint: lambda.endpoint },
      assets,
      warnings,
    }, null, 2)}\n`;
  }
  const c = output.color;
  const keyWidth = Math.max(...assets.map((a) => a.key.length), 5);
  const fnText = (a: ListedAsset) => (a.invokes ? `→ ${a.invokes}` : "→ (own run)");
  const fnWidth = Math.max(...assets.map((a) => fnText(a).length), 0);
  const lines = [
    `${c.bold(displayPath(defs.file, cwd))}  ${c.dim("profile")} ${c.cyan(defs.profile.name)} ${c.dim(`(${describeTarget(defs)})`)}`,
    "",
  ];
  for (const a of assets) {
    const extra = [
      a.runtime && a.invokes ? c.dim(a.runtime) : "",
      a.logging ? c.dim(loggingText(a.logging)) : "",
      a.layers.length ? c.dim(`layers ${a.layers.join(", ")}`) : "",
      a.deps.length ? c.dim(`after ${a.deps.join(", ")}`) : "",
      a.partitions ? c.magenta(partitionsText(a.partitions)) : "",
      a.group ? c.dim(`group ${a.group}`) : "",
      Object.keys(a.tags).length ? c.dim(`tags ${Object.entries(a.tags).map(([k, v]) => (v ? `${k}=${v}` : k)).join(" ")}`) : "",
    ]
      .filter(Boolean)
      .join(c.dim(" · "));
    lines.push(`  ${c.bold(a.key.padEnd(keyWidth))}  ${c.green(fnText(a).padEnd(fnWidth))}  ${extra}`.trimEnd());
    if (a.description) lines.push(`  ${" ".repeat(keyWidth)}  ${c.dim(a.description)}`);
    for (const check of a.checks) {
      const about = [check.blocking ? c.yellow("blocking") : "", check.description ? c.dim(check.description) : ""].filter(Boolean).join(c.dim(" · "));
      lines.push(`  ${" ".repeat(keyWidth)}  ${c.dim("check")} ${check.name}${about ? `  ${about}` : ""}`);
    }
  }
  const of = selected && selected.length !== defs.assets.length ? ` (of ${defs.assets.length})` : "";
  const count = (assets.length === 1 ? "1 asset" : `${assets.length} assets`) + of;
  lines.push("", c.dim(`${count}, in dependency order`));
  for (const warning of warnings) lines.push(c.yellow(`⚠ ${warning}`));
  return `${lines.join("\n")}\n`;
}

/** `daily × 11 (2024-01-01..2024-01-11)`, `static × 3 (eu..apac)`. */
function partitionsText(p: NonNullable<ListedAsset["partitions"]>): string {
  return `${p.kind} × ${p.count}${p.first ? ` (${p.first === p.last ? p.first : `${p.first}..${p.last}`})` : ""}`;
}

/** `logs JSON (app WARN, system INFO)`, `logs Text → /custom/group`. */
function loggingText(l: LoggingSettings): string {
  const levels = l.format === "JSON" ? ` (app ${l.applicationLevel ?? "INFO"}, system ${l.systemLevel ?? "INFO"})` : "";
  return `logs ${l.format}${levels}${l.logGroup ? ` → ${l.logGroup}` : ""}`;
}
