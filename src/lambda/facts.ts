/**
 * AWS Lambda's facts, written once: the runtimes (their calendar is src/facts/runtimes.ts), the limits of a function's settings, payload sizes and the
 * log tail. The definitions, the emulator, deploy and the Lambda client all read them from here. A leaf module.
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
} from "../facts/runtimes.js";

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
