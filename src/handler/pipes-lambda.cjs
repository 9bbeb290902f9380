/*
 * pipes-lambda: the Dagster Pipes protocol for AWS Lambda Node.js handlers, in one dependency-free file.
 * Works from CommonJS (`require("./pipes-lambda.cjs")`) and ESM (`import { withPipes } from "./pipes-lambda.cjs"`).
 *
 *   const { withPipes, metadata } = require("./pipes-lambda.cjs");
 *   exports.handler = withPipes(async (event, pipes) => {
 *     pipes.log.info("starting");
 *     pipes.reportAssetMaterialization({ metadata: { rows: 3, source: metadata.url("https://...") } });
 *     return { ok: true };
 *   });
 *
 * The orchestrator (pipes, or Dagster's PipesLambdaClient) puts DAGSTER_PIPES_CONTEXT and DAGSTER_PIPES_MESSAGES
 * into the event. Messages go to stderr as it asks: each as it happens (`stdio`, what pipes asks for), or in one
 * go when the session closes (`buffered_stdio`), with process.stderr.write so the Lambda runtime adds no prefix. Every
 * invocation gets its own session, so warm invocations work (Dagster's libraries keep a process-wide one).
 */
"use strict";

const zlib = require("node:zlib");

const PROTOCOL_VERSION = "0.1";
const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];
const METADATA_TYPES = [
  "__infer__", "text", "url", "path", "notebook", "json", "md", "float", "int", "bool", "dagster_run", "asset",
  "null", "table", "table_schema", "table_column_lineage", "timestamp", "job",
];

class PipesError extends Error {
  constructor(message) {
    super(message);
    this.name = "PipesError";
  }
}

/**
 * Python's json.dumps with its defaults (", " and ": " separators, ensure_ascii), so each message line is
 * byte for byte what Dagster's own dagster_pipes library writes for the same content.
 */
function pythonJson(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    if (Number.isSafeInteger(value)) return String(value);
    const abs = Math.abs(value);
    const text = abs < 1e-4 || abs >= 1e16 ? value.toExponential() : String(value);
    return text.replace(/e([+-])(\d)$/, "e$10$2");
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") {
    return `"${value.replace(/[\\"\u0000-\u001f\u007f-\uffff]/g, (ch) => {
      const short = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" }[ch];
      return short ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
    })}"`;
  }
  if (typeof value.toJSON === "function") return pythonJson(value.toJSON());
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function");
    return `{${entries.map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(", ")}}`;
  }
  return "null";
}

/** Dagster's decode_param: base64 of zlib-compressed JSON. */
function decodeParam(value) {
  return JSON.parse(zlib.inflateSync(Buffer.from(value, "base64")).toString("utf8"));
}

/** Typed metadata values: `metadata.url("https://...")`, `metadata.table({ records, schema })`, ... */
const metadata = Object.fromEntries(
  METADATA_TYPES.filter((t) => t !== "__infer__").map((type) => [camel(type), (rawValue) => ({ raw_value: rawValue, type })]),
);
function camel(type) {
  return type.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}

/** Dagster's _normalize_param_metadata: a wrapped {raw_value, type} stays, anything else is __infer__. */
function normalizeMetadata(values) {
  if (values === undefined || values === null) return null;
  if (typeof values !== "object" || Array.isArray(values)) throw new PipesError("metadata must be an object");
  const out = {};
  for (const [name, value] of Object.entries(values)) {
    const isWrapped = value !== null && typeof value === "object" && !Array.isArray(value) && "raw_value" in value && "type" in value;
    if (isWrapped) {
      if (Object.keys(value).length !== 2 || !METADATA_TYPES.includes(value.type)) {
        throw new PipesError(`metadata "${name}": expected exactly {raw_value, type} with a known type, got ${JSON.stringify(value)}`);
      }
      out[name] = { raw_value: value.raw_value, type: value.type };
    } else {
      out[name] = { raw_value: value === undefined ? null : value, type: "__infer__" };
    }
  }
  return Object.keys(out).length ? out : null;
}

/** Dagster's PipesException shape for a thrown value. */
function serializeError(error, depth = 0) {
  if (!(error instanceof Error)) {
    return { message: String(error), stack: [], name: typeof error, cause: null, context: null };
  }
  const stack = (error.stack || "").split("\n").slice(1).map((line) => line.trim()).filter(Boolean);
  const cause = depth < 10 && error.cause !== undefined ? serializeError(error.cause, depth + 1) : null;
  return { message: `${error.name}: ${error.message}`, stack, name: error.name, cause, context: null };
}

/**
 * A pipes session for one invocation. Outside a pipes invocation (no DAGSTER_PIPES_CONTEXT in the event) it
 * still works, writing nothing, so a handler can be invoked on its own.
 */
class PipesSession {
  constructor(event, options = {}) {
    const source = event && typeof event === "object" ? event : {};
    this.isPipesInvocation = typeof source.DAGSTER_PIPES_CONTEXT === "string";
    this._write = options.write || ((text) => process.stderr.write(text));
    this._buffer = [];
    this._closed = false;
    this._materialized = new Set();
    if (this.isPipesInvocation) {
      const contextParams = decodeParam(source.DAGSTER_PIPES_CONTEXT);
      if (!contextParams || typeof contextParams.data !== "object" || contextParams.data === null) {
        throw new PipesError("DAGSTER_PIPES_CONTEXT must carry the context inline ({data: ...}) on Lambda");
      }
      this.context = contextParams.data;
      const messages = typeof source.DAGSTER_PIPES_MESSAGES === "string" ? decodeParam(source.DAGSTER_PIPES_MESSAGES) : { buffered_stdio: "stderr" };
      const stream = messages.buffered_stdio || messages.stdio;
      if (stream !== "stderr" && stream !== "stdout") {
        throw new PipesError(`unsupported DAGSTER_PIPES_MESSAGES ${JSON.stringify(messages)}: expected buffered_stdio or stdio`);
      }
      this._buffered = "buffered_stdio" in messages;
      if (stream === "stdout") this._write = options.write || ((text) => process.stdout.write(text));
    } else {
      this.context = {
        asset_keys: null, code_version_by_asset_key: null, provenance_by_asset_key: null, partition_key: null,
        partition_key_range: null, partition_time_window: null, run_id: "", job_name: null, retry_number: 0, extras: {},
      };
      this._buffered = true;
    }
    const log = (level) => (message) => this._send("log", { message: String(message), level });
    this.log = { debug: log("DEBUG"), info: log("INFO"), warning: log("WARNING"), warn: log("WARNING"), error: log("ERROR"), critical: log("CRITICAL") };
    this._send("opened", { extras: {} });
  }

  get runId() { return this.context.run_id; }
  get jobName() { return this.context.job_name; }
  get retryNumber() { return this.context.retry_number; }
  get extras() { return this.context.extras || {}; }
  get assetKeys() { return this.context.asset_keys || []; }
  get isAssetStep() { return this.context.asset_keys !== null; }
  get isPartitionStep() { return this.context.partition_key_range !== null; }
  get partitionKeyRange() { return this.context.partition_key_range; }
  get partitionTimeWindow() { return this.context.partition_time_window; }
  get codeVersion() { return (this.context.code_version_by_asset_key || {})[this.assetKey] ?? null; }

  /** The one asset key of this step; throws when there are none or several, as Dagster's does. */
  get assetKey() {
    const keys = this.assetKeys;
    if (keys.length !== 1) throw new PipesError(`expected exactly one asset key in scope, got ${keys.length}: use assetKeys`);
    return keys[0];
  }

  get partitionKey() {
    if (this.context.partition_key === null) throw new PipesError("this is not a partitioned run: partitionKey is null");
    return this.context.partition_key;
  }

  getExtra(key) {
    if (!(key in this.extras)) throw new PipesError(`no extra "${key}"; extras are: ${Object.keys(this.extras).join(", ") || "none"}`);
    return this.extras[key];
  }

  logLevel(level, message) {
    const upper = String(level).toUpperCase();
    if (!LEVELS.includes(upper)) throw new PipesError(`level must be one of ${LEVELS.join(", ")}`);
    this._send("log", { message: String(message), level: upper });
  }

  reportAssetMaterialization({ assetKey, metadata: values, dataVersion } = {}) {
    const key = this._resolveKey(assetKey);
    if (this._materialized.has(key)) throw new PipesError(`asset ${key} was already materialized in this invocation`);
    this._materialized.add(key);
    this._send("report_asset_materialization", { asset_key: key, data_version: dataVersion ?? null, metadata: normalizeMetadata(values) });
  }

  reportAssetCheck({ checkName, passed, assetKey, metadata: values, severity = "ERROR" }) {
    if (typeof checkName !== "string" || !checkName) throw new PipesError("reportAssetCheck needs a checkName");
    if (typeof passed !== "boolean") throw new PipesError("reportAssetCheck needs passed: true or false");
    if (severity !== "ERROR" && severity !== "WARN") throw new PipesError('severity must be "ERROR" or "WARN"');
    this._send("report_asset_check", {
      asset_key: this._resolveKey(assetKey),
      check_name: checkName,
      passed,
      metadata: normalizeMetadata(values),
      severity,
    });
  }

  reportCustomMessage(payload) {
    this._send("report_custom_message", { payload });
  }

  /** Ends the session: `closed` (with the error, if any), then the buffered messages in one write. */
  close(error) {
    if (this._closed) return;
    this._send("closed", error === undefined ? {} : { exception: serializeError(error) });
    this._closed = true;
    this._flush();
  }

  _resolveKey(assetKey) {
    // Outside a pipes invocation there is no asset in scope and nothing is sent: accept what is given.
    if (!this.isPipesInvocation) return Array.isArray(assetKey) ? assetKey.join("/") : String(assetKey ?? "");
    if (assetKey === undefined || assetKey === null) return this.assetKey;
    const key = Array.isArray(assetKey) ? assetKey.map((p) => p.replace(/\\/g, "\\\\").replace(/\//g, "\\/")).join("/") : String(assetKey);
    if (this.isAssetStep && !this.assetKeys.includes(key)) {
      throw new PipesError(`asset ${key} is not in scope; this step materializes ${this.assetKeys.join(", ")}`);
    }
    return key;
  }

  _send(method, params) {
    if (this._closed) throw new PipesError(`cannot send ${method}: the pipes session is closed`);
    if (!this.isPipesInvocation) return;
    const envelope = { __dagster_pipes_version: PROTOCOL_VERSION, method, params };
    const level = messageLevel();
    if (level) envelope.level = level;
    const line = pythonJson(envelope);
    if (this._buffered) this._buffer.push(line);
    else this._write(`${line}\n`);
  }

  _flush() {
    if (this._buffer.length === 0) return;
    this._write(`${this._buffer.join("\n")}\n`);
    this._buffer = [];
  }
}

/** Opens a session for this invocation's event; call `close()` (with the error, if one was thrown) at the end. */
function openPipes(event, options) {
  return new PipesSession(event, options);
}

/**
 * Wraps a handler `(event, pipes, context) => result`: opens the session, closes it when the handler returns,
 * and when it throws, reports the error in `closed` and rethrows it so Lambda reports the failure too.
 */
function withPipes(handler) {
  return async function pipesHandler(event, context) {
    const pipes = openPipes(event);
    try {
      const result = await handler(event, pipes, context);
      pipes.close();
      return result;
    } catch (error) {
      pipes.close(error);
      throw error;
    }
  };
}

/**
 * With Lambda's JSON log format (LoggingConfig), a JSON line without a `level` is filed as INFO and dropped at
 * ApplicationLogLevel WARN or above. A message line carries the function's own level (AWS_LAMBDA_LOG_LEVEL), which
 * no filter of that function drops; Dagster's reader ignores keys other than the version, method and params. With the
 * Text format nothing is filtered, and the line is byte for byte what dagster_pipes writes.
 */
function messageLevel() {
  if (process.env.AWS_LAMBDA_LOG_FORMAT !== "JSON") return undefined;
  const level = (process.env.AWS_LAMBDA_LOG_LEVEL || "").toUpperCase();
  return ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"].includes(level) ? level : "FATAL";
}

module.exports = { withPipes, openPipes, metadata, PipesSession, PipesError, PROTOCOL_VERSION };
