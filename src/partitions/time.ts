/**
 * Time-window partitions computed as Dagster computes them: windows start on the cadence's boundaries in the
 * definition's time zone (midnight; Sunday for weeks; the 1st for months), the first at or after `start`, and a
 * window exists once it has ended (by `end`, or by now). Pure: "now" is an argument. luxon does the calendar
 * arithmetic in a zone (a day across a DST change is 23 or 25 hours), which Date cannot.
 */
import { DateTime } from "luxon";
import { type Cadence, KEY_FORMAT, type Partitions, TIME_TEXT } from "./definition.js";

type TimePartitions = Extract<Partitions, { kind: "time" }>;

export interface TimeWindow {
  /** ISO-8601 with the zone's offset, as Python's `datetime.isoformat()`: `2024-01-01T00:00:00+00:00`. */
  start: string;
  end: string;
}

const STEP: Record<Cadence, "hours" | "days" | "weeks" | "months"> = { hourly: "hours", daily: "days", weekly: "weeks", monthly: "months" };
/** A start or end as validated (TIME_TEXT), as wall time in `zone`. */
function parseTime(text: string, zone: string): DateTime {
  const [y, mo, d, h = "0", mi = "0", s = "0"] = TIME_TEXT.exec(text)!.slice(1) as string[];
  return DateTime.fromObject({ year: +y!, month: +mo!, day: +d!, hour: +h, minute: +mi, second: +s }, { zone });
}

/** The boundary at or before `t`. */
function floor(t: DateTime, cadence: Cadence): DateTime {
  if (cadence === "hourly") return t.startOf("hour");
  if (cadence === "daily") return t.startOf("day");
  if (cadence === "monthly") return t.startOf("month");
  const day = t.startOf("day");
  return day.minus({ days: day.weekday % 7 }); // luxon: Monday 1 … Sunday 7
}

function ceil(t: DateTime, cadence: Cadence): DateTime {
  const down = floor(t, cadence);
  return down < t ? next(down, cadence) : down;
}

const next = (t: DateTime, cadence: Cadence): DateTime => t.plus({ [STEP[cadence]]: 1 });

const iso = (t: DateTime): string => t.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");

/** Every key of a time definition, oldest first. */
export function timeKeys(p: TimePartitions, now: Date): string[] {
  const first = ceil(parseTime(p.start, p.timezone), p.cadence);
  const limit = p.end ? parseTime(p.end, p.timezone) : DateTime.fromJSDate(now, { zone: p.timezone });
  const keys: string[] = [];
  for (let t = first, after = next(t, p.cadence); after <= limit; t = after, after = next(t, p.cadence)) {
    keys.push(t.toFormat(KEY_FORMAT[p.cadence]));
  }
  return keys;
}

/** The window of one key, or null when the text is not a key of this cadence (wrong format, not on a boundary). */
export function keyWindow(p: TimePartitions, key: string): { start: DateTime; end: DateTime } | null {
  const start = DateTime.fromFormat(key, KEY_FORMAT[p.cadence], { zone: p.timezone });
  if (!start.isValid || start.toFormat(KEY_FORMAT[p.cadence]) !== key || !floor(start, p.cadence).equals(start)) return null;
  return { start, end: next(start, p.cadence) };
}

/** `partition_time_window` of the keys from `first` to `last` (the same key for one partition). */
export function timeWindow(p: TimePartitions, first: string, last: string): TimeWindow {
  return { start: iso(keyWindow(p, first)!.start), end: iso(keyWindow(p, last)!.end) };
}
