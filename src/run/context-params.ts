/**
 * The DAGSTER_PIPES_CONTEXT param of a run's steps, byte for byte `encodeParam({ data: context })`, with what the
 * steps of one asset share written once: their contexts differ only in the partition fields, so a step puts those
 * three values into its asset's text instead of writing json.dumps of the whole context again. A 1,000-partition
 * backfill runs this mostly before V8 has optimized it, where the whole context cost ~50 µs per invocation on a
 * loaded machine, a twentieth of what the SDK's Invoke costs. Pure.
 */
import type { PipesContextData } from "../protocol/context.js";
import { encodeJsonText, encodeParam } from "../protocol/params.js";
import { pythonJsonDumps } from "../protocol/python-json.js";

/** Stand-ins for the partition fields while an asset's text is written; each must come out once, as a JSON string. */
const MARKS = ["\u0001partition_key\u0001", "\u0001partition_key_range\u0001", "\u0001partition_time_window\u0001"] as const;

/** The asset's text around its partition fields, or null when a mark is not found exactly once (then: the whole dumps). */
type Parts = [string, string, string, string] | null;

/** For one run: the steps of an asset must share every context field but the partition ones (stepContext's contexts do). */
export class ContextParams {
  private readonly parts = new Map<string, Parts>();

  param(asset: string, context: PipesContextData): string {
    let parts = this.parts.get(asset);
    if (parts === undefined) {
      parts = split(context);
      this.parts.set(asset, parts);
    }
    if (!parts) return encodeParam({ data: context });
    return encodeJsonText(
      parts[0] +
        pythonJsonDumps(context.partition_key) +
        parts[1] +
        pythonJsonDumps(context.partition_key_range) +
        parts[2] +
        pythonJsonDumps(context.partition_time_window) +
        parts[3],
    );
  }
}

function split(context: PipesContextData): Parts {
  const text = pythonJsonDumps({ data: { ...context, partition_key: MARKS[0], partition_key_range: MARKS[1], partition_time_window: MARKS[2] } });
  const parts: string[] = [];
  let rest = text;
  for (const mark of MARKS) {
    // The marks as json.dumps writes them (control characters escaped): text of the user's cannot hold them by chance.
    const written = pythonJsonDumps(mark);
    const at = rest.indexOf(written);
    if (at < 0 || text.split(written).length !== 2) return null;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + written.length);
  }
  parts.push(rest);
  return parts as [string, string, string, string];
}
