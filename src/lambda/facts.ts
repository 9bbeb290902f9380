/**
 * AWS Lambda's facts, written once: the runtimes, the limits of a function's settings, payload sizes and the
 * log tail. The definitions, the emulator, deploy and the Lambda client all read them from here. A leaf module.
 */

/** Lambda runtimes the local emulator can run (and deploy accepts). */
export const NODE_RUNTIMES = ["nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x"] as const;
export const PYTHON_RUNTIMES = ["python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14"] as const;
export const RUNTIMES = [...NODE_RUNTIMES, ...PYTHON_RUNTIMES] as const;
export type Runtime = (typeof RUNTIMES)[number];
export const DEFAULT_RUNTIME: Runtime = "nodejs20.x";
/** For a `.py` handler file deployed without a runtime. */
export const DEFAULT_PYTHON_RUNTIME: Runtime = "python3.12";

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
/** A function's code once unzipped (layers included on AWS): 250 MB, counted in bytes as AWS states it. */
export const UNZIPPED_CODE_LIMIT = 262_144_000;

export const isRuntime = (value: unknown): value is Runtime => (RUNTIMES as readonly unknown[]).includes(value);
export const isPythonRuntime = (runtime: string) => runtime.startsWith("python");

/**
 * The pip platform tag of the wheels a Python function can import on each architecture, as `sam build` and AWS's
 * "Working with .zip file archives for Python Lambda functions" page use: Lambda's Amazon Linux has glibc 2.17 or
 * newer, so manylinux2014 wheels load there.
 */
export const PIP_PLATFORMS = { x86_64: "manylinux2014_x86_64", arm64: "manylinux2014_aarch64" } as const;
