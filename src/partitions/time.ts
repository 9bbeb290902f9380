/**
 * Time-window partitions computed as Dagster computes them: windows start on the cadence's boundaries in the
 * definition's time zone (midnight; Sunday for weeks; the 1st for months), the first at or after `start`, and a
 * window exists once it has ended (by `end`, or by now). Pure: "now" is an argument. luxon does the calendar
 * arithmetic in a zone (a day across a DST change is 23 or 25 hours), which Date cannot.
 */
import type { DateTime } from "luxon";
import { requireCjs } from "../util/cjs.js";
import { type Cadence, KEY_FORMAT, type Partitions, TIME_TEXT } from "./definition.js";

type TimePartitions = Extract<Partitions, { kind: "time" }>;

let luxon: typeof import("luxon") | undefined;
/**
 * luxon's DateTime, loaded on first use: 260 KB that every command would otherwise parse at start, though only
 * time-partitioned definitions need it (test/cli/lazy-loading.test.ts). Loading a pure library changes nothing
 * this module computes: it stays pure.
 */
function zoned(): typeof DateTime {
  luxon ??= requireCjs("luxon") as typeof import("luxon");
  return luxon.DateTime;
}

export interface TimeWindow {
  /** ISO-8601 with the zone's offset, as Python's `datetime.isoformat()`: `2024-01-01T00:00:00+00:00`. */
  start: string;
  end: string;
}

const STEP: Record<Cadence, "hours" | "days" | "weeks" | "months"> = { hourly: "hours", daily: "days", weekly: "weeks", monthly: "months" };
/** A start or end as validated (TIME_TEXT), as wall time in `zone`. */
function parseTime(text: string, zone: string): DateTime {
  const [y, mo, d, h = "0", mi = "0", s = "0"] = TIME_TEXT.exec(text)!.slice(1) as string[];
  return zoned().fromObject({ year: +y!, month: +mo!, day: +d!, hour: +h, minute: +mi, second: +s }, { zone });
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
  const span = timeSpan(p, now);
  return timeKeysBetween(p, span, 0, span.count - 1);
}

/** A time definition's windows as arithmetic: where the first starts and how many have ended by `now`. */
export interface TimeSpan {
  first: DateTime;
  count: number;
}

/**
 * The first window's start and the number of windows, without listing them: window i starts i cadence steps after
 * the first (luxon's calendar steps, so a day across a DST change stays a day), and it exists once it has ended.
 */
export function timeSpan(p: TimePartitions, now: Date): TimeSpan {
  const first = ceil(parseTime(p.start, p.timezone), p.cadence);
  const limit = p.end ? parseTime(p.end, p.timezone) : zoned().fromJSDate(now, { zone: p.timezone });
  return { first, count: stepsWithin(first, limit, p.cadence) };
}

/** The largest n with first + n steps ≤ limit (0 when none): the diff's estimate, corrected by a step or two. */
function stepsWithin(first: DateTime, limit: DateTime, cadence: Cadence): number {
  if (limit < first) return 0;
  const unit = STEP[cadence];
  let n = Math.max(0, Math.floor(limit.diff(first, unit).get(unit)));
  const at = (k: number) => first.plus({ [unit]: k });
  while (at(n + 1) <= limit) n++;
  while (n > 0 && at(n) > limit) n--;
  return n;
}

/** The key of window `index` (0 is the first). */
export function timeKeyAt(p: TimePartitions, span: TimeSpan, index: number): string {
  return span.first.plus({ [STEP[p.cadence]]: index }).toFormat(KEY_FORMAT[p.cadence]);
}

/** The index of a key's window, or null when the text is not a key of this definition (format, boundary, range). */
export function timeIndexOf(p: TimePartitions, span: TimeSpan, key: string): number | null {
  const window = keyWindow(p, key);
  if (!window || window.start < span.first) return null;
  const index = stepsWithin(span.first, window.start, p.cadence);
  return index < span.count && timeKeyAt(p, span, index) === key ? index : null;
}

/** The keys of windows `from`..`to` (inclusive), in order. */
export function timeKeysBetween(p: TimePartitions, span: TimeSpan, from: number, to: number): string[] {
  const keys: string[] = [];
  const utc = utcFormat(p, span);
  for (let i = Math.max(0, from); i <= Math.min(to, span.count - 1); i++) keys.push(utc ? utc(i) : timeKeyAt(p, span, i));
  return keys;
}

const UTC_ZONES = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z"]);
const FIXED_STEP_MS: Partial<Record<Cadence, number>> = { hourly: 3_600_000, daily: 86_400_000 };

/**
 * In UTC an hour and a day are fixed lengths, so window i's key is plain Date arithmetic and ISO text, about fifty
 * times faster than luxon's calendar steps (the page lists the keys of an hourly asset since 2019: 61,000 of them).
 * Null where luxon is needed (another zone, weeks, months, a year ISO text does not write in four digits).
 */
function utcFormat(p: TimePartitions, span: TimeSpan): ((index: number) => string) | null {
  const step = FIXED_STEP_MS[p.cadence];
  if (step === undefined || !UTC_ZONES.has(p.timezone) || span.first.offset !== 0 || span.first.year < 1000 || span.first.plus({ [STEP[p.cadence]]: span.count }).year > 9999) return null;
  const first = span.first.toMillis();
  const date = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
  if (p.cadence === "daily") return (i) => date(Math.floor((first + i * step) / DAY_MS));
  // A day's 24 keys share its date: formatted once per day, the hour appended.
  let day = Number.NaN;
  let prefix = "";
  return (i) => {
    const ms = first + i * step;
    const d = Math.floor(ms / DAY_MS);
    if (d !== day) {
      day = d;
      prefix = date(d);
    }
    return `${prefix}${HOUR_SUFFIX[Math.floor((ms - d * DAY_MS) / 3_600_000)]}`;
  };
}

const DAY_MS = 86_400_000;
const HOUR_SUFFIX = Array.from({ length: 24 }, (_, h) => `-${String(h).padStart(2, "0")}:00`);

/** The window of one key, or null when the text is not a key of this cadence (wrong format, not on a boundary). */
export function keyWindow(p: TimePartitions, key: string): { start: DateTime; end: DateTime } | null {
  const start = zoned().fromFormat(key, KEY_FORMAT[p.cadence], { zone: p.timezone });
  if (!start.isValid || start.toFormat(KEY_FORMAT[p.cadence]) !== key || !floor(start, p.cadence).equals(start)) return null;
  return { start, end: next(start, p.cadence) };
}

/** `partition_time_window` of the keys from `first` to `last` (the same key for one partition). */
export function timeWindow(p: TimePartitions, first: string, last: string): TimeWindow {
  return { start: iso(keyWindow(p, first)!.start), end: iso(keyWindow(p, last)!.end) };
}
