import { describe, expect, it } from "vitest";
import { formatMetadataValue, formatTable, METADATA_TYPES, parseMetadataValue, type MetadataValue } from "../../src/protocol/index.js";

// One valid wire value per Dagster type string, with the text a user sees for it.
const CASES: Array<[string, unknown, MetadataValue["type"], string]> = [
  ["__infer__", "hello", "text", "hello"],
  ["text", "multi\nline", "text", "multi ⏎ line"],
  ["url", "https://example.com/x", "url", "https://example.com/x"],
  ["path", "/data/out.parquet", "path", "/data/out.parquet"],
  ["notebook", "/nb/report.ipynb", "notebook", "/nb/report.ipynb"],
  ["json", { a: [1, 2], b: null }, "json", '{"a":[1,2],"b":null}'],
  ["md", "# Title\n\nbody", "md", "# Title"],
  ["float", 2.5, "float", "2.5"],
  ["int", 1234567, "int", "1,234,567"],
  ["bool", false, "bool", "false"],
  ["dagster_run", "3f2b1c9e-0000", "dagster_run", "3f2b1c9e-0000"],
  ["asset", "orders/raw", "asset", "orders/raw"],
  ["null", null, "null", "null"],
  [
    "table",
    { records: [{ id: 1, name: "a" }, { id: 2, name: "b" }], schema: [{ name: "id", type: "int" }, { name: "name", type: "string" }] },
    "table",
    "2 rows × 2 columns",
  ],
  ["table_schema", { columns: [{ name: "id", type: "int" }, { name: "name", type: "string", description: "who" }] }, "table_schema", "id: int, name: string"],
  [
    "table_column_lineage",
    { deps_by_column: { total: [{ asset_key: "orders/raw", column_name: "amount" }, { asset_key: "fx", column_name: "rate" }] } },
    "table_column_lineage",
    "total ← orders/raw.amount + fx.rate",
  ],
  ["timestamp", 1704067200.5, "timestamp", "2024-01-01T00:00:00.500Z"],
];

describe("metadata values", () => {
  it("covers all 17 of Dagster's type strings", () => {
    expect(new Set(CASES.map(([t]) => t)).size).toBe(17);
    for (const [type] of CASES) expect(METADATA_TYPES).toContain(type);
  });

  it.each(CASES)("parses and renders %s", (type, raw, parsedType, text) => {
    const parsed = parseMetadataValue({ raw_value: raw, type });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.type).toBe(parsedType);
    expect(formatMetadataValue(parsed.value)).toBe(text);
  });

  it("infers types as Dagster's normalize_metadata_value does", () => {
    const infer = (raw: unknown) => {
      const p = parseMetadataValue({ raw_value: raw, type: "__infer__" });
      return p.ok ? [p.value.type, p.value.inferred] : p.error;
    };
    expect(infer(3)).toEqual(["int", true]);
    expect(infer(3.5)).toEqual(["float", true]);
    expect(infer(true)).toEqual(["bool", true]);
    expect(infer(null)).toEqual(["null", true]);
    expect(infer([1])).toEqual(["json", true]);
    expect(infer({ a: 1 })).toEqual(["json", true]);
  });

  it("rejects values that do not match their type, saying why", () => {
    const error = (raw: unknown, type: string) => {
      const p = parseMetadataValue({ raw_value: raw, type });
      return p.ok ? "ok" : p.error;
    };
    expect(error(1.5, "int")).toMatch(/type int expects an integer, got float 1.5/);
    expect(error("1", "float")).toMatch(/expects a number/);
    expect(error(1, "text")).toMatch(/expects a string/);
    expect(error("yes", "bool")).toMatch(/expects a boolean/);
    expect(error({ rows: [] }, "table")).toMatch(/records/);
    expect(error({}, "table_schema")).toMatch(/columns/);
    expect(error({ deps_by_column: { a: "b" } }, "table_column_lineage")).toMatch(/deps_by_column/);
    expect(error(1, "sparkline")).toMatch(/unknown metadata type "sparkline"/);
    expect(parseMetadataValue({ type: "int" }).ok).toBe(false);
    expect(parseMetadataValue(5).ok).toBe(false);
  });

  it("renders a table as aligned rows, with the rows it leaves out counted", () => {
    const parsed = parseMetadataValue({
      raw_value: { records: Array.from({ length: 12 }, (_, i) => ({ currency: i % 2 ? "USD" : "EUR", revenue: i * 1.5 })) },
      type: "table",
    });
    if (!parsed.ok || parsed.value.type !== "table") throw new Error("table did not parse");
    const lines = formatTable(parsed.value, 3);
    expect(lines).toEqual([
      "currency  revenue",
      "────────  ───────",
      "EUR       0",
      "USD       1.5",
      "EUR       3",
      "… 9 more rows",
    ]);
  });
});
