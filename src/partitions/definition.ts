/**
 * Partitions of an asset, as the definitions file gives them: a static list of keys, or time windows as Dagster
 * defines them (hourly, daily, weekly, monthly). Pure: validation and the normalized shape.
 */
import { didYouMean } from "../util/suggest.js";
import { isObject, kindOf } from "../util/values.js";

export const CADENCES = ["hourly", "daily", "weekly", "monthly"] as const;
export type Cadence = (typeof CADENCES)[number];

/** What a user writes in `defs.ts`. */
export type PartitionsInput =
  | string[]
  | {
      type: Cadence;
      /** The first window starts at the first boundary at or after this (`2024-01-01`, `2024-01-01-13:00`). */
      start: string;
      /** Exclusive: only windows that end by then. Default: now (windows that have ended). */
      end?: string;
      /** An IANA zone, e.g. `America/Los_Angeles`. Default `UTC`, as Dagster's. */
      timezone?: string;
    };

export type Partitions =
  | { kind: "static"; keys: string[] }
  | { kind: "time"; cadence: Cadence; start: string; end: string | null; timezone: string };

/** Dagster's default key formats, in luxon's tokens: `%Y-%m-%d`, and `%Y-%m-%d-%H:%M` for hourly. */
export const KEY_FORMAT: Record<Cadence, string> = {
  hourly: "yyyy-MM-dd-HH:mm",
  daily: "yyyy-MM-dd",
  weekly: "yyyy-MM-dd",
  monthly: "yyyy-MM-dd",
};

/** A start or end: `2024-01-01`, `2024-01-01-13:00`, `2024-01-01T13:00[:00]` (wall time in the zone). */
export const TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[-T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function isTimeText(text: string): boolean {
  const m = TIME_TEXT.exec(text);
  if (!m) return false;
  const [y, mo, d, h = "0", mi = "0", s = "0"] = m.slice(1) as string[];
  const date = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s));
  return date.getUTCMonth() === +mo! - 1 && date.getUTCDate() === +d! && +h < 24 && +mi < 60 && +s < 60;
}

function isZone(zone: string): boolean {
  // The default needs no check: the first Intl.DateTimeFormat of a process loads ICU's zone data (tens of ms).
  if (zone === "UTC") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Validates one asset's `partitions` (without the calendar library: loading defs stays cheap). */
export function validatePartitions(raw: unknown, report: (message: string) => void): Partitions | null {
  if (raw === undefined) return null;
  if (Array.isArray(raw)) {
    const keys = raw.filter((k): k is string => typeof k === "string" && k !== "");
    if (keys.length !== raw.length) report("partitions: a static list holds non-empty strings, e.g. [\"eu\", \"us\"]");
    // One pass with a set, not indexOf per key: that was quadratic, 0.1 s to load a list of 10,000 keys, 0.75 s for 30,000.
    const seen = new Set<string>();
    const duplicates: string[] = [];
    for (const key of keys) {
      if (seen.has(key)) duplicates.push(key);
      else seen.add(key);
    }
    if (duplicates.length) report(`partitions: duplicate key${duplicates.length > 1 ? "s" : ""} ${[...new Set(duplicates)].map((k) => `"${k}"`).join(", ")}`);
    if (raw.length === 0) report("partitions: the list is empty");
    return { kind: "static", keys: [...seen] };
  }
  if (!isObject(raw)) {
    report(`partitions must be a list of keys or { type: "daily", start: "2024-01-01" }, got ${kindOf(raw)}`);
    return null;
  }
  const known = ["type", "start", "end", "timezone"];
  for (const k of Object.keys(raw)) if (!known.includes(k)) report(`partitions: unknown field "${k}"${didYouMean(k, known)}`);
  const cadence = raw.type as Cadence;
  if (!CADENCES.includes(cadence)) report(`partitions: type ${JSON.stringify(raw.type)} must be one of ${CADENCES.join(", ")}`);
  const timezone = raw.timezone === undefined ? "UTC" : raw.timezone;
  if (typeof timezone !== "string" || !isZone(timezone)) {
    report(`partitions: timezone ${JSON.stringify(raw.timezone)} is not an IANA time zone (e.g. "UTC", "Europe/Paris")`);
    return null;
  }
  const time = (field: "start" | "end"): string | null => {
    const value = raw[field];
    if (value === undefined && field === "end") return null;
    if (typeof value !== "string" || !isTimeText(value)) {
      report(`partitions: ${field} ${JSON.stringify(value)} must be a date or time such as "2024-01-01" or "2024-01-01-13:00"`);
      return null;
    }
    return value;
  };
  const start = time("start");
  const end = time("end");
  if (!CADENCES.includes(cadence) || start === null) return null;
  return { kind: "time", cadence, start, end, timezone };
}

/** For messages and `pipes list`: "daily from 2024-01-01 (UTC)", "static". */
export function describePartitions(p: Partitions): string {
  if (p.kind === "static") return "static";
  return `${p.cadence} from ${p.start}${p.end ? ` to ${p.end}` : ""}${p.timezone === "UTC" ? "" : ` (${p.timezone})`}`;
}

/** Two assets' partitions map one to one (pipes maps partitions only between identical definitions). */
export function samePartitions(a: Partitions, b: Partitions): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
