/**
 * AWS Lambda's facts, written once: the runtimes (their calendar is runtimes.ts), the limits of a function's settings,
 * payload sizes and the log tail; its prices are pricing.ts. The definitions, the emulator, deploy, the Lambda client
 * and the reporters all read them from src/facts, a pure folder that imports nothing outside itself.
 */

export {
  DEFAULT_PYTHON_RUNTIME,
  DEFAULT_RUNTIME,
  isPythonRuntime,
  isRuntime,
  NODE_RUNTIMES,
  PYTHON_RUNTIMES,
  RUNTIMES,
  type Runtime,
} from "./runtimes.js";

export const MEMORY_MIN_MB = 128;
export const MEMORY_MAX_MB = 10240;
export const DEFAULT_MEMORY_MB = 128;
export const TIMEOUT_MIN_SECONDS = 1;
export const TIMEOUT_MAX_SECONDS = 900;
export const DEFAULT_TIMEOUT_SECONDS = 3;
/** A function's init phase has 10 s of its own. */
export const INIT_TIMEOUT_MS = 10_000;

/** `LogType: Tail` returns the last 4 KB of an invocation's log. */
export const TAIL_BYTES = 4096;
/** RequestResponse request and response payloads: 6 MB. */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
/** What a runtime may post as a response: 6 MB plus the 100 bytes the RIE allows. */
export const MAX_RESPONSE_BYTES = SYNC_PAYLOAD_LIMIT + 100;
/** Event payloads: 1 MB since late 2025 (256 KB before). */
export const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
/** A zip uploaded in the request (Code.ZipFile): 50 MB. */
export const DIRECT_UPLOAD_LIMIT = 50 * 1024 * 1024;
/**
 * The largest CreateFunction / UpdateFunctionCode request body: the 50 MB zip in base64 plus its JSON, as AWS
 * words it ("Request must be smaller than 70167211 bytes for the CreateFunction operation").
 */
export const CODE_UPLOAD_REQUEST_LIMIT = 70_167_211;
/** A function's code once unzipped (layers included on AWS): 250 MB, counted in bytes as AWS states it. */
export const UNZIPPED_CODE_LIMIT = 262_144_000;

/**
 * The pip platform tag of the wheels a Python function can import on each architecture, as `sam build` and AWS's
 * "Working with .zip file archives for Python Lambda functions" page use: Lambda's Amazon Linux has glibc 2.17 or
 * newer, so manylinux2014 wheels load there.
 */
export const PIP_PLATFORMS = { x86_64: "manylinux2014_x86_64", arm64: "manylinux2014_aarch64" } as const;

/** Environment.Variables: names and values together, at most 4 KB. */
export const ENVIRONMENT_BYTES_LIMIT = 4096;

/**
 * The variables Lambda sets itself and refuses in a function's Environment (CreateFunction /
 * UpdateFunctionConfiguration answer InvalidParameterValueException). From AWS's "Defined runtime environment
 * variables" page (docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime):
 * "The following environment variables are reserved ... Lambda ... doesn't allow you to set them."
 */
export const RESERVED_ENVIRONMENT_VARIABLES: readonly string[] = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
];

/** AWS's words when Environment holds reserved names. */
export const reservedVariablesMessage = (names: readonly string[]) =>
  `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${names.join(", ")}`;

/** LoggingConfig (advanced logging controls): the formats and the levels Lambda takes. */
export const LOG_FORMATS = ["Text", "JSON"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
/** Lowest first: a record is kept when its level is at or above the configured one. */
export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** SystemLogLevel takes fewer: DEBUG, INFO, WARN. */
export const SYSTEM_LOG_LEVELS = ["DEBUG", "INFO", "WARN"] as const;
/** Lambda's defaults once the format is JSON: application INFO, system INFO. */
export const DEFAULT_LOG_LEVEL: LogLevel = "INFO";
export const isLogLevel = (v: unknown): v is LogLevel => typeof v === "string" && (LOG_LEVELS as readonly string[]).includes(v);
/** LogGroup: 1-512 characters of `[\.\-_/#A-Za-z0-9]`. */
export const LOG_GROUP_PATTERN = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** A function's logging settings as the emulator keeps them (absent levels: Text format, where they do not apply). */
export interface LoggingSettings {
  format: LogFormat;
  applicationLevel?: LogLevel;
  systemLevel?: LogLevel;
  logGroup?: string;
}

/** At this ApplicationLogLevel (JSON format), Lambda drops a JSON line without a `level` (filed as INFO). */
export const dropsLevellessLines = (level: string | undefined): boolean =>
  level !== undefined && LOG_LEVELS.indexOf(level as LogLevel) > LOG_LEVELS.indexOf("INFO");

/** Layers a function may use, as AWS's quotas page states it ("Layers: 5 per function"). */
export const MAX_LAYERS_PER_FUNCTION = 5;
/** A layer version ARN: arn:aws:lambda:<region>:<account>:layer:<name>:<version>. */
export const LAYER_VERSION_ARN = /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:layer:[a-zA-Z0-9_-]{1,140}:\d+$/;
