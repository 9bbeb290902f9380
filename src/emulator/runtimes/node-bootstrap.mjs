// The Node.js runtime of the pipes emulator: runs inside a worker process, loads the user's handler and
// serves invocations through the Lambda Runtime API, as the Lambda Node.js runtime interface client does.
// Plain JavaScript with no dependencies: it runs as is in the worker.
import { existsSync, readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import net from "node:net";
import { dirname, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { Worker } from "node:worker_threads";

const FENCE = process.argv[2] ?? "";
const api = process.env.AWS_LAMBDA_RUNTIME_API ?? "";
const slash = api.indexOf("/");
const [host, port] = (slash < 0 ? api : api.slice(0, slash)).split(":");
const prefix = slash < 0 ? "" : api.slice(slash);
/** The worker's peak resident memory in KB, for REPORT's Max Memory Used, saves the emulator reading /proc. */
const MAX_RSS_HEADER = "X-Pipes-Max-Rss-Kb";
const JSON_LOGS = process.env.AWS_LAMBDA_LOG_FORMAT === "JSON";

let requestId; // of the invocation running now, for log lines

// --- the Runtime API --------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client on one keep-alive socket: the Runtime API is called twice per invocation, and
// node:http's client machinery would cost more than a no-op handler (Lambda's own client is native code).

let socket;
let received = Buffer.alloc(0);
let pending; // { resolve, reject } of the request in flight; the protocol is strictly one at a time

function connect() {
  socket = net.connect({ host, port: Number(port) });
  socket.setNoDelay(true);
  socket.on("data", (chunk) => {
    received = received.length ? Buffer.concat([received, chunk]) : chunk;
    const response = parseResponse();
    if (response && pending) {
      const { resolve: done } = pending;
      pending = undefined;
      done(response);
    }
  });
  socket.on("error", serviceGone);
  socket.on("close", serviceGone);
}

/** One complete response off the front of `received`, or undefined until it has all arrived. */
function parseResponse() {
  const end = received.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const lines = received.subarray(0, end).toString("latin1").split("\r\n");
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers["content-length"] ?? 0);
  if (received.length < end + 4 + length) return undefined;
  const body = received.subarray(end + 4, end + 4 + length);
  received = received.subarray(end + 4 + length);
  return { status: Number(lines[0].split(" ")[1]), headers, body };
}

function call(method, path, body, headers = {}) {
  if (!socket) connect();
  const payload = body === undefined ? undefined : Buffer.from(body);
  let head = `${method} ${prefix}/2018-06-01/runtime${path} HTTP/1.1\r\nHost: ${host}:${port}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  head += `Content-Length: ${payload?.length ?? 0}\r\n\r\n`;
  return new Promise((resolve, reject) => {
    pending = { resolve, reject };
    socket.write(payload ? Buffer.concat([Buffer.from(head, "latin1"), payload]) : head);
  });
}

/** The emulator is gone (closed, or the CLI was killed): a sandbox without its service exits. */
function serviceGone() {
  process.exit(0);
}

// --- logging as the Lambda Node.js runtime formats it -------------------------------------------------------

const LEVELS = { log: "INFO", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG", trace: "TRACE" };
function writeLog(level, message) {
  const timestamp = new Date().toISOString();
  const line = JSON_LOGS
    ? JSON.stringify({ timestamp, level, requestId: requestId ?? "", message })
    : `${timestamp}\t${requestId ?? "undefined"}\t${level}\t${message.replace(/\n/g, "\r")}`;
  process.stdout.write(`${line}\n`);
}
for (const [method, level] of Object.entries(LEVELS)) {
  console[method] = (...args) => writeLog(level, format(...args));
}
console.fatal = (...args) => writeLog("FATAL", format(...args));

// --- errors in Lambda's shapes --------------------------------------------------------------------------------

function toLambdaError(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? "").split("\n") };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function fence() {
  process.stdout.write(`${FENCE}\n`);
  process.stderr.write(`${FENCE}\n`);
}

async function postError(path, error, logLabel) {
  const payload = toLambdaError(error);
  writeLog("ERROR", `${logLabel} \t${JSON.stringify({ errorType: payload.errorType, errorMessage: payload.errorMessage, stack: payload.trace })}`);
  fence();
  await call("POST", path, JSON.stringify(payload), {
    "Content-Type": "application/json",
    "Lambda-Runtime-Function-Error-Type": payload.errorType,
    [MAX_RSS_HEADER]: process.resourceUsage().maxRSS,
  }).catch(serviceGone);
}

class LambdaError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

// --- loading the handler ---------------------------------------------------------------------------------------
// A .js file is CommonJS on Lambda unless a package.json inside the function's folder says "type": "module":
// the zip has nothing above it. Locally a package.json further up (a repository's) would decide instead, so
// the module type is looked up within the task root only, and .js files there load as CommonJS accordingly.

const require = createRequire(import.meta.url);

function packageTypeWithin(file, root) {
  for (let dir = dirname(file); dir === root || dir.startsWith(root + sep); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, "utf8")).type === "module" ? "module" : "commonjs";
      } catch {
        return "commonjs";
      }
    }
    if (dir === root) break;
  }
  return "commonjs";
}

function isCommonJs(file, root) {
  if (file.endsWith(".cjs")) return true;
  return file.endsWith(".js") && packageTypeWithin(file, root) === "commonjs";
}

const TASK_ROOT = resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd());
const compileJs = Module._extensions[".js"];
Module._extensions[".js"] = function (module, filename) {
  // Node would refuse a .js file in a "type": "module" scope above the function: compile it as Lambda would.
  if (filename.startsWith(TASK_ROOT + sep) && packageTypeWithin(filename, TASK_ROOT) === "commonjs") {
    return module._compile(readFileSync(filename, "utf8"), filename);
  }
  return compileJs.call(this, module, filename);
};

async function loadHandler() {
  const handler = process.env._HANDLER ?? "";
  const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const lastSlash = handler.lastIndexOf("/");
  const dot = handler.indexOf(".", lastSlash + 1);
  if (dot < 0) throw new LambdaError("Runtime.MalformedHandlerName", "Bad handler");
  const modulePath = handler.slice(0, dot);
  const exportPath = handler.slice(dot + 1);
  const file = [".js", ".mjs", ".cjs"].map((ext) => resolve(root, modulePath + ext)).find((f) => existsSync(f));
  if (!file) {
    throw new LambdaError("Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}'\nRequire stack:\n- ${process.argv[1]}`);
  }
  let module;
  try {
    module = isCommonJs(file, root) ? require(file) : await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) throw new LambdaError("Runtime.UserCodeSyntaxError", `${error.name}: ${error.message}`);
    if (error?.code === "ERR_MODULE_NOT_FOUND" || error?.code === "MODULE_NOT_FOUND") {
      throw new LambdaError("Runtime.ImportModuleError", `Error: ${error.message}`);
    }
    throw error;
  }
  const lookup = (base) => exportPath.split(".").reduce((value, key) => (value == null ? undefined : value[key]), base);
  const fn = lookup(module) ?? lookup(module.default);
  if (typeof fn !== "function") {
    throw new LambdaError("Runtime.HandlerNotFound", `${modulePath}.${exportPath} is undefined or not exported`);
  }
  return fn;
}

// --- one invocation ------------------------------------------------------------------------------------------

function contextFor(headers, deadline) {
  const clientContext = headers["lambda-runtime-client-context"];
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: undefined,
    clientContext: clientContext ? JSON.parse(clientContext) : undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Runs the handler in either style: a returned promise, or the (deprecated) callback. */
function runHandler(handler, event, context) {
  return new Promise((done, fail) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) fail(error);
      else done(result);
    };
    context.done = callback;
    context.succeed = (result) => callback(null, result);
    context.fail = (error) => callback(error ?? new Error("handled"));
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === "function") returned.then((r) => callback(null, r), (e) => callback(e));
      else if (handler.length < 3) callback(null, returned);
    } catch (error) {
      callback(error);
    }
  });
}

async function serve(handler) {
  for (;;) {
    const next = await call("GET", "/invocation/next").catch(serviceGone);
    if (!next || next.status !== 200) return serviceGone();
    const id = next.headers["lambda-runtime-aws-request-id"];
    const deadline = Number(next.headers["lambda-runtime-deadline-ms"]);
    requestId = id;
    let body;
    try {
      const event = JSON.parse(next.body.toString("utf8") || "null");
      const result = await runHandler(handler, event, contextFor(next.headers, deadline));
      body = JSON.stringify(result === undefined ? null : result);
    } catch (error) {
      await postError(`/invocation/${id}/error`, error, "Invoke Error");
      continue;
    }
    fence();
    await call("POST", `/invocation/${id}/response`, body, {
      "Content-Type": "application/json",
      [MAX_RSS_HEADER]: process.resourceUsage().maxRSS,
    }).catch(serviceGone);
  }
}

// A crash inside an invocation fails that invocation and ends the sandbox, as on Lambda.
async function crash(error, label) {
  if (requestId) await postError(`/invocation/${requestId}/error`, error, label);
  else writeLog("ERROR", `${label} \t${JSON.stringify(toLambdaError(error))}`);
  process.exit(129);
}
process.on("uncaughtException", (error) => crash(error, "Uncaught Exception"));
process.on("unhandledRejection", (reason) => crash(reason, "Unhandled Promise Rejection"));

// When the process that runs the emulator dies, stdin closes: leave no orphan behind.
process.stdin.on("end", serviceGone);
process.stdin.resume();
// A handler's busy loop blocks this thread, and with it the stdin watch: a watchdog thread of its own sees the
// parent die (this process is handed to another parent) and ends the sandbox anyway.
new Worker(
  `const parent = require("node:worker_threads").workerData;
  setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, "SIGKILL"); }, 250);`,
  { eval: true, workerData: process.ppid, resourceLimits: { maxOldGenerationSizeMb: 8 }, stdout: false, stderr: false },
).unref();

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  await postError("/init/error", error, "Uncaught Exception");
  process.exit(1);
}
await serve(handler);
