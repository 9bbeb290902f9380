// Metadata values as they read: a url is a link (http and https only), json is collapsible pretty JSON, a
// timestamp a date. Always set as text: a value `<script>` shows as those characters.
import { h } from "./dom.js";

// biome-ignore lint/suspicious/noExplicitAny: a metadata value's fields depend on its type (src/protocol/metadata.ts)
export type MetadataValue = { type: string; value?: any; records?: unknown[]; columns?: Array<{ name: string }> };

export function metadataList(metadata: Record<string, MetadataValue>): HTMLElement {
  return h("table", { class: "metadata" }, h("tbody", {}, ...Object.entries(metadata).map(([name, value]) => h("tr", { "data-metadata": name }, h("th", {}, name), h("td", {}, metadataValue(value)), h("td", { class: "muted" }, value.type)))));
}

export function metadataValue(value: MetadataValue): Node | string {
  switch (value.type) {
    case "url":
      return isWebUrl(value.value) ? h("a", { href: value.value, rel: "noopener noreferrer", target: "_blank", class: "metadata-url" }, value.value) : h("code", {}, String(value.value));
    case "path":
    case "notebook":
      return h("code", {}, String(value.value));
    case "json":
      return h("details", { class: "metadata-json", open: "" }, h("summary", {}, jsonSummary(value.value)), h("pre", {}, JSON.stringify(value.value, null, 2)));
    case "md":
      return h("pre", { class: "metadata-md" }, String(value.value));
    case "timestamp":
      return typeof value.value === "number" ? new Date(value.value * 1000).toISOString().replace("T", " ").replace(/\.000Z$/, " UTC") : String(value.value);
    case "table":
      return `table, ${value.records?.length ?? 0} rows`;
    case "table_schema":
      return `columns: ${(value.columns ?? []).map((c) => c.name).join(", ")}`;
    case "asset":
      return Array.isArray(value.value) ? value.value.join("/") : String(value.value);
    case "null":
      return "null";
    default:
      return typeof value.value === "object" ? JSON.stringify(value.value) : String(value.value);
  }
}

/** Only http(s): a `javascript:` or `data:` value is shown as text, never made a link. */
function isWebUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function jsonSummary(value: unknown): string {
  if (Array.isArray(value)) return `array, ${value.length} items`;
  if (value && typeof value === "object") return `object, ${Object.keys(value).length} keys`;
  return "json";
}
