/**
 * What a run materializes, as `pipes materialize` and `pipes dev`'s prompt both take it: one option table (so a
 * typed `raw_events --partition 2024-01-05` means at the prompt what it means on the command line) and one reading
 * of it into a RunRequest: the selection, the partitions, the extras, or the recorded run `--retry` names.
 */
import type { Command } from "commander";
import { UserError } from "../errors.js";
import { type PartitionRequest, parseRange } from "../partitions/request.js";
import type { CliContext } from "./context.js";
import { collect } from "./parse-options.js";

export interface RunSelectionOptions {
  profile?: string;
  upstream?: boolean;
  exclude: string[];
  all?: boolean;
  partition?: string;
  partitionRange?: string;
  allPartitions?: boolean;
  singleRun?: boolean;
  extra: string[];
  retry?: string;
}

/** The selection options: what to run, for which partitions, with which extras, or what to retry. */
export function withRunSelectionOptions(command: Command): Command {
  return command
    .argument("[selection...]", "assets: name, +name (and what it depends on), name+ (and its dependents), 2+name (two levels), key:raw_* (a glob)")
    .option("--upstream", "also materialize what the assets depend on, first (as +name)")
    .option("--exclude <selection>", "leave out what this selection matches (repeatable)", collect, [])
    .option("--all", "materialize every asset")
    .option("--partition <key>", "the partition to materialize (for unpartitioned assets: a key passed to each)")
    .option("--partition-range <start...end>", "every partition from START to END, one invocation each (Dagster's syntax)")
    .option("--all-partitions", "every partition of the partitioned assets")
    .option("--single-run", "one invocation per asset with the whole range in partition_key_range")
    .option("--extra <key=value>", "an extra for the pipes context (repeatable; JSON values allowed)", collect, [])
    .option("--retry <run>", "run again what failed or was skipped in that run (a run id from pipes runs, or last), with its profile, assets, partitions and extras");
}

/** What one run materializes: from the command line, or from the run `--retry` names. */
export interface RunRequest {
  keys: string[];
  partitions: PartitionRequest | null;
  singleRun: boolean;
  extras: Record<string, unknown>;
  retryOf?: string;
  only?: Set<string>;
  done?: Set<string>;
  /** `--retry`: the profile the retried run used. */
  profile?: string;
}

/** The request the options make; null when `--retry` finds nothing left to run (said on stderr). */
export async function runRequest(keys: string[], options: RunSelectionOptions, defs: { file: string; assets: Array<{ key: string }> }, ctx: CliContext): Promise<RunRequest | null> {
  if (options.retry !== undefined) return retryRequest(options, keys, defs.file, ctx);
  if (keys.length === 0 && !options.all) {
    throw new UserError(`Name the assets to materialize, or pass --all. Assets: ${defs.assets.map((a) => a.key).join(", ")}`);
  }
  return { keys: options.all ? defs.assets.map((a) => a.key) : keys, partitions: partitionRequest(options), singleRun: Boolean(options.singleRun), extras: parseExtras(options.extra) };
}

/** `--retry <run>`: the recorded run's request, without what it materialized; null when nothing is left to run. */
async function retryRequest(options: RunSelectionOptions, keys: string[], defsFile: string, ctx: CliContext): Promise<RunRequest | null> {
  const conflicting = [keys.length > 0 && "asset names", options.all && "--all", options.upstream && "--upstream", options.partition !== undefined && "--partition", options.partitionRange !== undefined && "--partition-range", options.allPartitions && "--all-partitions", options.singleRun && "--single-run", options.extra.length > 0 && "--extra"].filter(Boolean);
  if (conflicting.length) throw new UserError(`--retry runs again what the run ran, with its own partitions and extras: leave out ${conflicting.join(", ")}`);
  const [{ historyDir, historyLimits }, { readRun, RETRY_TYPES }, { retryPlan }] = await Promise.all([import("../history/location.js"), import("../history/read.js"), import("../history/retry.js")]);
  const read = readRun(historyDir(defsFile), options.retry!, { types: RETRY_TYPES, maxRunBytes: historyLimits(ctx.env).maxRunBytes });
  for (const warning of read.warnings) ctx.stderr.write(`⚠ ${warning}\n`);
  const plan = retryPlan(read.value.events);
  if (options.profile !== undefined && options.profile !== plan.profile) {
    throw new UserError(`--retry ${options.retry}: run ${plan.runId.slice(0, 8)} used profile ${plan.profile}, not ${options.profile}; leave out --profile to retry it as it ran`);
  }
  if (plan.finished && plan.notDone === 0) {
    ctx.stderr.write(`Nothing to retry: every step of run ${plan.runId.slice(0, 8)} materialized.\n`);
    return null;
  }
  return { keys: plan.assets, partitions: plan.partitionRequest, singleRun: plan.singleRun, extras: plan.extras, profile: plan.profile, retryOf: plan.runId, only: plan.only ?? undefined, done: plan.done };
}

/** At most one of `--partition`, `--partition-range`, `--all-partitions`. */
function partitionRequest(options: RunSelectionOptions): PartitionRequest | null {
  const given = [options.partition !== undefined && "--partition", options.partitionRange !== undefined && "--partition-range", options.allPartitions && "--all-partitions"].filter(Boolean);
  if (given.length > 1) throw new UserError(`${given.join(" and ")} cannot be combined: pass one of them`);
  if (options.partition !== undefined) return { kind: "key", key: options.partition };
  if (options.allPartitions) return { kind: "all" };
  if (options.partitionRange === undefined) {
    if (options.singleRun) throw new UserError("--single-run needs a range: pass --partition-range START...END or --all-partitions");
    return null;
  }
  const range = parseRange(options.partitionRange);
  if (!range) throw new UserError(`--partition-range ${options.partitionRange}: write START...END (three dots), e.g. 2024-01-01...2024-01-31`);
  return { kind: "range", ...range };
}

/** `--extra key=value`: the value as JSON when it parses (numbers, booleans, objects), else as text. */
function parseExtras(pairs: string[]): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UserError(`--extra ${pair}: expected key=value, e.g. --extra sample=0.1`);
    const raw = pair.slice(eq + 1);
    try {
      extras[pair.slice(0, eq)] = JSON.parse(raw);
    } catch {
      extras[pair.slice(0, eq)] = raw;
    }
  }
  return extras;
}
