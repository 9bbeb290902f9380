// Metadata values as they read, every kind Dagster defines (PROTOCOL.md §5): a url is a link (http and https only),
// a path or notebook copyable text, json collapsible, md sanitised Markdown, a table or schema a table, a timestamp
// a UTC date, an asset or a run a link to its page. Always built as DOM nodes with text set as text: a value
// `<script>` shows as those characters.
import { h } from "./dom.js";
import { isWebUrl, markdown } from "./markdown.js";

// biome-ignore lint/suspicious/noExplicitAny: a metadata value's fields depend on its type (src/protocol/metadata.ts)
export type MetadataValue = { type: string; value?: any; records?: unknown[]; columns?: Column[]; depsByColumn?: Record<string, Array<{ assetKey: string[]; columnName: string }>> };
type Column = { name: string; type?: string; description?: string | null };

/** Rows of a table value shown; the rest are counted. */
const TABLE_ROWS = 100;

export function metadataList(metadata: Record<string, MetadataValue>): HTMLElement {
  return h("table", { class: "metadata" }, h("tbody", {}, ...Object.entries(metadata).map(([name, value]) => h("tr", { "data-metadata": name, "data-type": value.type }, h("th", {}, name), h("td", {}, metadataValue(value)), h("td", { class: "muted" }, value.type)))));
}

export function metadataValue(value: MetadataValue): Node | string {
  switch (value.type) {
    case "url":
      return isWebUrl(value.value) ? h("a", { href: value.value, rel: "noopener noreferrer", target: "_blank", class: "metadata-url" }, value.value) : h("code", {}, String(value.value));
    case "path":
    case "notebook":
      return copyable(String(value.value));
    case "json":
      return h("details", { class: "metadata-json", open: "" }, h("summary", {}, jsonSummary(value.value)), h("pre", {}, JSON.stringify(value.value, null, 2)));
    case "md":
      return markdown(String(value.value));
    case "timestamp":
      return timestamp(value.value);
    case "bool":
      return h("span", { class: value.value ? "ok" : "fail" }, value.value ? "✔ true" : "✖ false");
    case "null":
      return h("span", { class: "muted" }, "null");
    case "table":
      return metadataTable(value);
    case "table_schema":
      return schemaTable(value.columns ?? []);
    case "table_column_lineage":
      return lineageTable(value.depsByColumn ?? {});
    case "asset":
      return assetLink(Array.isArray(value.value) ? value.value.map(String) : [String(value.value)]);
    case "dagster_run":
      return /^[\w-]{1,64}$/.test(String(value.value)) ? h("a", { href: `#/runs/${value.value}`, class: "metadata-run" }, String(value.value)) : h("code", {}, String(value.value));
    case "text":
      return h("span", { class: "metadata-text" }, String(value.value));
    default:
      return typeof value.value === "object" ? JSON.stringify(value.value) : String(value.value);
  }
}

/** A table value: its schema's columns in order (else the records' keys), the first TABLE_ROWS records. */
export function metadataTable(value: MetadataValue): HTMLElement {
  const records = (value.records ?? []) as Array<Record<string, unknown>>;
  const columns = value.columns?.length ? value.columns.map((c) => c.name) : [...new Set(records.flatMap((r) => Object.keys(r)))];
  const table = h("table", { class: "metadata-table" }, h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", {}, c)))), h("tbody", {}, ...records.slice(0, TABLE_ROWS).map((r) => h("tr", {}, ...columns.map((c) => h("td", {}, cell(r[c])))))));
  if (records.length <= TABLE_ROWS) return table;
  return h("div", {}, table, h("p", { class: "muted" }, `${TABLE_ROWS} of ${records.length} rows`));
}

function schemaTable(columns: Column[]): HTMLElement {
  return h("table", { class: "metadata-schema" }, h("thead", {}, h("tr", {}, h("th", {}, "column"), h("th", {}, "type"), h("th", {}, "description"))), h("tbody", {}, ...columns.map((c) => h("tr", {}, h("td", {}, c.name), h("td", {}, h("code", {}, c.type ?? "")), h("td", {}, c.description ?? "")))));
}

function lineageTable(deps: Record<string, Array<{ assetKey: string[]; columnName: string }>>): HTMLElement {
  const rows = Object.entries(deps).map(([column, from]) => h("tr", {}, h("td", {}, column), h("td", {}, ...from.flatMap((d, i) => [i ? ", " : "", assetLink(d.assetKey), `.${d.columnName}`]))));
  return h("table", { class: "metadata-lineage" }, h("thead", {}, h("tr", {}, h("th", {}, "column"), h("th", {}, "from"))), h("tbody", {}, ...rows));
}

/** An asset key is a path (`a/b`); its page is the asset named so. */
function assetLink(key: string[]): HTMLElement {
  const name = key.join("/");
  return h("a", { href: `#/asset/${encodeURIComponent(name)}`, class: "metadata-asset" }, name);
}

function copyable(text: string): HTMLElement {
  const button = h("button", { type: "button", class: "copy", title: "copy to the clipboard" }, "copy");
  button.addEventListener("click", () => {
    navigator.clipboard?.writeText(text).then(
      () => (button.textContent = "copied"),
      () => (button.textContent = "select and copy"),
    );
  });
  return h("span", { class: "copyable" }, h("code", {}, text), " ", button);
}

/** Epoch seconds as a UTC date and time, to the second (milliseconds when there are any). */
function timestamp(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value) || Math.abs(value) > 8.64e12) return String(value);
  const iso = new Date(value * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, iso.endsWith(".000Z") ? 19 : 23)} UTC`;
}

const cell = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

function jsonSummary(value: unknown): string {
  if (Array.isArray(value)) return `array, ${value.length} items`;
  if (value && typeof value === "object") return `object, ${Object.keys(value).length} keys`;
  return "json";
}
