import { isObject, isStringArray } from "../util/values.js";
import { parseUserAssetKey } from "./asset-key.js";
import { isPyFloat, isPyInt, toNumber } from "./python-json-parse.js";
import { pythonFloat, stringifyJson } from "./python-json.js";

/** The type strings Dagster accepts on the wire (PROTOCOL.md §5), plus `job` from the JSON schema. */
export const METADATA_TYPES = [
  "__infer__",
  "text",
  "url",
  "path",
  "notebook",
  "json",
  "md",
  "float",
  "int",
  "bool",
  "dagster_run",
  "asset",
  "null",
  "table",
  "table_schema",
  "table_column_lineage",
  "timestamp",
  "job",
] as const;
export type MetadataType = (typeof METADATA_TYPES)[number];

/** The wrapped form every entry has on the wire. */
export interface RawMetadataValue {
  raw_value: unknown;
  type: MetadataType;
}

export interface TableColumn {
  name: string;
  type: string;
  description?: string | null;
}

export interface ColumnDep {
  assetKey: string[];
  columnName: string;
}

/** A metadata value parsed into its type; `inferred` marks a value sent as `__infer__`. */
export type MetadataValue = { inferred?: boolean } & (
  | { type: "text" | "url" | "path" | "notebook" | "md" | "dagster_run" | "job"; value: string }
  /** An int beyond 2^53 is a bigint, exact as Python has it. */
  | { type: "int"; value: number | bigint }
  /** A float, NaN and ±Infinity included (in `--json` those are the strings "NaN", "Infinity", "-Infinity"). */
  | { type: "float" | "timestamp"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "json"; value: unknown }
  | { type: "null"; value: null }
  | { type: "asset"; value: string[] }
  | { type: "table"; records: Record<string, unknown>[]; columns: TableColumn[] }
  | { type: "table_schema"; columns: TableColumn[] }
  | { type: "table_column_lineage"; depsByColumn: Record<string, ColumnDep[]> }
);

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const STRING_TYPES = new Set(["text", "url", "path", "notebook", "md", "dagster_run", "job"]);
/** METADATA_TYPES for lookups: every entry of every metadata message is looked up. */
const KNOWN_TYPES: ReadonlySet<string> = new Set(METADATA_TYPES);

/** Parses one wrapped entry `{raw_value, type}`; never throws. */
export function parseMetadataValue(entry: unknown): Parsed<MetadataValue> {
  if (!isObject(entry) || !("raw_value" in entry) || typeof entry.type !== "string") {
    return { ok: false, error: "expected {raw_value, type}" };
  }
  const { raw_value: raw, type } = entry;
  if (!KNOWN_TYPES.has(type)) return { ok: false, error: `unknown metadata type "${type}"` };
  if (type === "__infer__") return { ok: true, value: { ...infer(raw), inferred: true } };
  if (STRING_TYPES.has(type)) {
    return typeof raw === "string" ? { ok: true, value: { type, value: raw } as MetadataValue } : mismatch(type, raw, "a string");
  }
  switch (type) {
    case "int":
      return isPyInt(raw) ? { ok: true, value: { type, value: raw } } : mismatch(type, raw, "an integer");
    case "float":
    case "timestamp":
      return isNumber(raw) ? { ok: true, value: { type, value: toNumber(raw) } } : mismatch(type, raw, "a number");
    case "bool":
      return typeof raw === "boolean" ? { ok: true, value: { type, value: raw } } : mismatch(type, raw, "a boolean");
    case "json":
      return { ok: true, value: { type, value: raw } };
    case "null":
      return raw === null ? { ok: true, value: { type, value: null } } : mismatch(type, raw, "null");
    case "asset":
      if (typeof raw === "string") return { ok: true, value: { type, value: parseUserAssetKey(raw) } };
      return isStringArray(raw) ? { ok: true, value: { type, value: raw } } : mismatch(type, raw, "an asset key string");
    case "table":
      return parseTable(raw) ?? mismatch(type, raw, "{records: [...], schema?: [...]}");
    case "table_schema": {
      const columns = isObject(raw) ? parseColumns(raw.columns) : undefined;
      return columns ? { ok: true, value: { type, columns } } : mismatch(type, raw, "{columns: [{name, type}]}");
    }
    default: {
      const deps = parseLineage(raw);
      if (!deps) return mismatch(type, raw, "{deps_by_column: {...}}");
      return { ok: true, value: { type: "table_column_lineage", depsByColumn: deps } };
    }
  }
}

/** The error for a raw value of the wrong kind (a function, not a closure made per entry: most entries are valid). */
function mismatch(type: string, raw: unknown, expected: string): Parsed<MetadataValue> {
  return { ok: false, error: `type ${type} expects ${expected}, got ${describe(raw)}` };
}

/** Parses a metadata mapping (or null) into named values; the first bad entry fails the whole mapping. */
export function parseMetadata(metadata: unknown): Parsed<Array<[string, MetadataValue]>> {
  if (metadata === null || metadata === undefined) return { ok: true, value: [] };
  if (!isObject(metadata)) return { ok: false, error: `metadata must be an object, got ${describe(metadata)}` };
  const entries: Array<[string, MetadataValue]> = [];
  // for…in, not Object.entries: no [name, entry] array per entry; hasOwn keeps Object.entries' own keys only.
  for (const name in metadata) {
    if (!Object.hasOwn(metadata, name)) continue;
    const parsed = parseMetadataValue(metadata[name]);
    if (!parsed.ok) return { ok: false, error: `metadata "${name}": ${parsed.error}` };
    entries.push([name, parsed.value]);
  }
  return { ok: true, value: entries };
}

const isNumber = (v: unknown) => isPyInt(v) || isPyFloat(v);

/** Dagster's `normalize_metadata_value` for `__infer__`: 3 is an int, 3.0 a float (as the line wrote them). */
function infer(raw: unknown): MetadataValue {
  if (raw === null || raw === undefined) return { type: "null", value: null };
  if (typeof raw === "string") return { type: "text", value: raw };
  if (typeof raw === "boolean") return { type: "bool", value: raw };
  if (isPyInt(raw)) return { type: "int", value: raw };
  if (isPyFloat(raw)) return { type: "float", value: toNumber(raw) };
  return { type: "json", value: raw };
}

function parseTable(raw: unknown): Parsed<MetadataValue> | undefined {
  if (!isObject(raw) || !Array.isArray(raw.records) || !raw.records.every(isObject)) return undefined;
  const records = raw.records as Record<string, unknown>[];
  let columns: TableColumn[] | undefined;
  if (raw.schema === undefined || raw.schema === null) {
    const names = [...new Set(records.flatMap((r) => Object.keys(r)))];
    columns = names.map((name) => ({ name, type: "unknown" }));
  } else {
    // The schema may be a bare column list or a table_schema object.
    columns = parseColumns(isObject(raw.schema) ? raw.schema.columns : raw.schema);
  }
  return columns ? { ok: true, value: { type: "table", records, columns } } : undefined;
}

function parseColumns(raw: unknown): TableColumn[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const columns: TableColumn[] = [];
  for (const c of raw) {
    if (!isObject(c) || typeof c.name !== "string") return undefined;
    const type = typeof c.type === "string" ? c.type : "unknown";
    columns.push({ name: c.name, type, description: typeof c.description === "string" ? c.description : null });
  }
  return columns;
}

function parseLineage(raw: unknown): Record<string, ColumnDep[]> | undefined {
  if (!isObject(raw) || !isObject(raw.deps_by_column)) return undefined;
  const out: Record<string, ColumnDep[]> = {};
  for (const [column, deps] of Object.entries(raw.deps_by_column)) {
    if (!Array.isArray(deps)) return undefined;
    const parsed: ColumnDep[] = [];
    for (const d of deps) {
      if (!isObject(d) || typeof d.column_name !== "string") return undefined;
      const key = typeof d.asset_key === "string" ? parseUserAssetKey(d.asset_key) : d.asset_key;
      if (!isStringArray(key)) return undefined;
      parsed.push({ assetKey: key, columnName: d.column_name });
    }
    out[column] = parsed;
  }
  return out;
}


function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (isNumber(v)) return `${isPyFloat(v) ? "float" : "int"} ${truncate(stringifyJson(v, PYTHON), 30)}`;
  return typeof v === "object" ? "an object" : `${typeof v} ${truncate(JSON.stringify(v) ?? String(v), 30)}`;
}

/** How people read JSON values: NaN and Infinity bare, as Python writes them. */
const PYTHON = { nonFinite: "python" } as const;

/** Python's `str()` of a float: `3.0`, `nan`, `inf`, `-inf`. */
function floatText(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  return pythonFloat(n);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One short line of human text for a value, for `name  value  (type)` rows. */
export function formatMetadataValue(v: MetadataValue, max = 80): string {
  switch (v.type) {
    case "text":
    case "url":
    case "path":
    case "notebook":
    case "dagster_run":
    case "job":
      return truncate(v.value.replace(/\s*\n\s*/g, " ⏎ "), max);
    case "md":
      return truncate(v.value.trim().split("\n")[0] ?? "", max);
    case "int":
      return v.value.toLocaleString("en-US");
    case "float":
      return floatText(v.value);
    case "timestamp":
      return Number.isFinite(v.value) ? new Date(v.value * 1000).toISOString() : floatText(v.value);
    case "bool":
      return String(v.value);
    case "json":
      return truncate(stringifyJson(v.value, PYTHON), max);
    case "null":
      return "null";
    case "asset":
      return v.value.join("/");
    case "table":
      return `${plural(v.records.length, "row")} × ${plural(v.columns.length, "column")}`;
    case "table_schema":
      return truncate(v.columns.map((c) => `${c.name}: ${c.type}`).join(", "), max);
    case "table_column_lineage":
      return truncate(
        Object.entries(v.depsByColumn)
          .map(([col, deps]) => `${col} ← ${deps.map((d) => `${d.assetKey.join("/")}.${d.columnName}`).join(" + ")}`)
          .join("; "),
        max,
      );
  }
}

/** A table value as a few aligned text lines (header, rule, rows), at most `maxRows` rows. */
export function formatTable(v: Extract<MetadataValue, { type: "table" }>, maxRows = 10): string[] {
  const names = v.columns.map((c) => c.name);
  const cell = (x: unknown) => truncate(typeof x === "string" ? x : x === undefined ? "" : stringifyJson(x, PYTHON), 24);
  const rows = v.records.slice(0, maxRows).map((r) => names.map((n) => cell(r[n])));
  const widths = names.map((n, i) => Math.max(n.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const out = [line(names), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)];
  if (v.records.length > maxRows) out.push(`… ${plural(v.records.length - maxRows, "more row")}`);
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
