// Messages and context data validate against the protocol's JSON schemas (test/schema: copies of Dagster's).
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildContext, decodeLine } from "../../src/protocol/index.js";
import { SAMPLES } from "./messages.js";

const schemaDir = new URL("../schema/", import.meta.url);
const schema = (name: string) => {
  const parsed = JSON.parse(readFileSync(fileURLToPath(new URL(`${name}.schema.json`, schemaDir)), "utf8"));
  // PipesException's `context` has a stray `$ref: "#"` beside its `oneOf: [null, #]`, which would forbid the
  // null that Dagster's Python library itself sends; the oneOf is the intended rule.
  if (name === "PipesException") delete parsed.properties.context.$ref;
  return parsed;
};
const ajv = new Ajv({ strict: false });
const validate = (name: string, value: unknown) => {
  const check = ajv.compile(schema(name));
  return check(value) ? "valid" : ajv.errorsText(check.errors);
};
// The schema models the keys Dagster sends as null as optional; a value it has is checked.
const dropNulls = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

describe("JSON schemas", () => {
  it("every sample message the decoder accepts validates (log_external_stream is not in the schema's enum)", () => {
    for (const [name, sample] of Object.entries(SAMPLES)) {
      expect(decodeLine(JSON.stringify(sample)).kind, name).toBe("message");
      if (sample.method === "log_external_stream") continue;
      expect(validate("PipesMessage", sample), name).toBe("valid");
    }
    expect(validate("PipesException", SAMPLES.closed_exception.params.exception)).toBe("valid");
    expect(validate("PipesLog", SAMPLES.log.params.level)).toBe("valid");
    expect(validate("AssetCheckSeverity", SAMPLES.report_asset_check.params.severity)).toBe("valid");
    for (const entry of Object.values(SAMPLES.report_asset_materialization.params.metadata)) {
      expect(validate("PipesMetadataValue", entry)).toBe("valid");
    }
  });

  it("built contexts validate as PipesContextData", () => {
    const full = buildContext({
      runId: "r",
      assetKeys: [["a"]],
      jobName: "j",
      partitionKey: "2024-01-01",
      partitionTimeWindow: { start: "2024-01-01T00:00:00+00:00", end: "2024-01-02T00:00:00+00:00" },
      codeVersions: { a: "v1" },
      provenance: { a: { code_version: "v1", input_data_versions: {}, is_user_provided: true } },
      extras: { x: 1 },
    });
    expect(validate("PipesContextData", full)).toBe("valid");
    expect(validate("PipesContextData", dropNulls({ ...buildContext({ runId: "r" }) }))).toBe("valid");
    expect(validate("PipesContextData", { ...full, surprise: 1 })).not.toBe("valid");
  });
});
