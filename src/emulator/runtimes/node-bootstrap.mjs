// The Node.js runtime of the pipes emulator: runs inside a worker process, loads the user's handler and
// serves invocations through the Lambda Runtime API, as the Lambda Node.js runtime interface client does.
// Plain JavaScript with no dependencies: it runs as is in the worker.
import { existsSync, readFileSync, readSync, writeSync } from "node:fs";
import Module, { createRequire } from "node:module";
import net from "node:net";
import { dirname, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const FENCE = process.argv[2] ?? "";
const BOOTSTRAP_FILE = import.meta.url.replace(/^file:\/\//, "");
const JSON_LOGS = process.env.AWS_LAMBDA_LOG_FORMAT === "JSON";

let requestId; // of the invocation running now, for log lines; undefined between invocations
/** Console output between invocations, written when the next one starts with its request id, as Lambda's is. */
let held = [];
let heldDropped = 0;
const MAX_HELD = 1000;

// --- the Runtime API ---------------------------------------------------------------------------------------
// Over the private channel the emulator gives every worker as fd 3 (src/emulator/channel.ts): frames of
// `u32 header length, u32 body length` (little-endian), a JSON header, the body. One write each way per
// invocation, where HTTP would take four messages (Lambda's own client is native code talking to a local agent).

// Between invocations the runtime blocks in a read of the channel, as Lambda's Node.js runtime blocked in its
// native client's call for the next event: nothing of the handler's runs then, and waking up costs one read where
// the event loop would go through epoll and a stream. With a debugger (--inspect) the channel is read through the
// event loop instead, so the inspector can talk to a worker that waits.
const EVENTED = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((arg) => arg.startsWith("--inspect"));
let awaitingEvent; // the resolver of nextEvent(), when EVENTED
let chunks = []; // received and not yet cut into frames: joined only once a whole frame is there (a 6 MB event
let size = 0; // comes in many reads)
let needed = 8;

/** Cuts whole frames off what was received; the rest waits for more. */
function takeFrames(onFrame) {
  let received = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  needed = 8;
  while (received.length >= 8) {
    const headerBytes = received.readUInt32LE(0);
    const end = 8 + headerBytes + received.readUInt32LE(4);
    if (received.length < end) {
      needed = end;
      break;
    }
    const header = JSON.parse(received.toString("utf8", 8, 8 + headerBytes));
    const body = received.subarray(8 + headerBytes, end);
    received = received.subarray(end);
    onFrame({ header, body });
  }
  // Kept as a copy: it may be in the receive buffer, which the next read reuses.
  chunks = received.length ? [Buffer.from(received)] : [];
  size = received.length;
}

let channel;
if (EVENTED) {
  channel = new net.Socket({ fd: 3, readable: true, writable: true });
  channel.on("data", (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size < needed) return;
    takeFrames((event) => {
      const resolve = awaitingEvent;
      awaitingEvent = undefined;
      resolve?.(event);
    });
  });
  channel.on("error", serviceGone);
  channel.on("close", serviceGone);
}

/** A system call the channel interrupted or could not take yet is tried again, after a millisecond for the latter. */
function retrying(call) {
  for (;;) {
    try {
      return call();
    } catch (error) {
      if (error.code === "EAGAIN") Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      else if (error.code !== "EINTR") serviceGone();
    }
  }
}

/** Where an event is read when nothing of it came before: one buffer for all, no garbage per invocation. */
const RECEIVED = Buffer.allocUnsafe(16384);

/** The next event; its body is valid until the next call (it may be in RECEIVED). */
function readFrameSync() {
  let event;
  while (!event) {
    if (size >= needed) takeFrames((f) => (event ??= f));
    if (event) break;
    const chunk = chunks.length === 0 && needed <= RECEIVED.length ? RECEIVED : Buffer.allocUnsafe(Math.max(16384, needed - size));
    const got = retrying(() => readSync(3, chunk, 0, chunk.length, null));
    if (got === 0) serviceGone(); // the emulator is gone
    chunks.push(chunk.subarray(0, got));
    size += got;
  }
  return event;
}

function writeSyncAll(data) {
  for (let offset = 0; offset < data.length; ) offset += retrying(() => writeSync(3, data, offset));
}

function frame(header, body = "") {
  const head = Buffer.from(JSON.stringify(header));
  const data = Buffer.from(body);
  const prefix = Buffer.allocUnsafe(8);
  prefix.writeUInt32LE(head.length, 0);
  prefix.writeUInt32LE(data.length, 4);
  return Buffer.concat([prefix, head, data]);
}

/** Sends a frame; resolves once it is on the channel (before the process may exit). */
function send(data) {
  if (!EVENTED) {
    writeSyncAll(data);
    return Promise.resolve();
  }
  return new Promise((resolve) => channel.write(data, resolve));
}

const NEXT = frame({ t: "next" });
let asked = false;
/**
 * The first ask carries when init ended (epoch ms): the emulator may read it later than it was sent (its thread
 * busy with its own start, e.g. loading the AWS SDK while this worker starts), and Init Duration is init's alone.
 */
function nextFrame() {
  if (asked) return NEXT;
  asked = true;
  return frame({ t: "next", at: performance.timeOrigin + performance.now() });
}

/**
 * Asks for the next event, after `answer` (in the same write), and resolves with it. Lambda's runtime asks from a
 * setImmediate, so what the handler queued with setImmediate runs first, and a handler that left its process
 * busy there is not asking (nor frozen) until it is done; with nothing queued, it asks at once.
 */
async function nextEvent(answer) {
  if (process.getActiveResourcesInfo().includes("Immediate")) {
    if (answer) send(answer);
    await new Promise((resolve) => setImmediate(resolve));
    answer = undefined;
  }
  const request = answer ? Buffer.concat([answer, nextFrame()]) : nextFrame();
  if (!EVENTED) {
    writeSyncAll(request);
    // Output a full pipe left queued (its fences too) is written by the event loop: it must be out before the
    // loop stops in the read, or the emulator would wait for the fences while the worker waits for its event.
    for (const stream of [process.stdout, process.stderr]) {
      if (stream.writableLength > 0) await new Promise((resolve) => stream.write("", resolve));
    }
    return readFrameSync();
  }
  const event = new Promise((resolve) => (awaitingEvent = resolve));
  send(request);
  return event;
}

const maxRssKb = () => process.resourceUsage().maxRSS;

/** The emulator is gone (closed, or the CLI was killed): a sandbox without its service exits. */
function serviceGone() {
  process.exit(0);
}

// --- logging as the Lambda Node.js runtime formats it -------------------------------------------------------

const LEVELS = { log: "INFO", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG", trace: "TRACE" };
function writeLog(level, message, timestamp = new Date().toISOString()) {
  if (requestId === undefined && started) {
    if (held.length < MAX_HELD) held.push([level, message, timestamp]);
    else heldDropped++;
    return;
  }
  const line = JSON_LOGS
    ? jsonRecord(timestamp, level, requestId ?? "", message)
    : `${timestamp}\t${requestId ?? "undefined"}\t${level}\t${message.replace(/\n/g, "\r")}`;
  process.stdout.write(`${line}\n`);
}
// With the JSON format a console call keeps its arguments, for the record's shape (jsonRecord).
const logArgs = JSON_LOGS ? (args) => args : (args) => format(...args);
for (const [method, level] of Object.entries(LEVELS)) {
  console[method] = (...args) => writeLog(level, logArgs(args));
}
console.fatal = (...args) => writeLog("FATAL", logArgs(args));

// AWS, "Log and monitor Node.js Lambda functions" (docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html),
// JSON format: `{"timestamp", "level", "requestId", "message"}`; as the runtime interface client's LogPatch.js
// builds it, one argument stays the value it is (an object stays an object, an Error becomes
// {errorType, errorMessage, stackTrace}); several are util.format'ed, and the first Error among them adds
// errorType / errorMessage / stackTrace to the record.
const errorFields = (e) => ({ errorType: e?.constructor?.name ?? "UnknownError", errorMessage: e.message, stackTrace: typeof e.stack === "string" ? e.stack.split("\n") : [] });
const errorReplacer = (_key, value) => (value instanceof Error ? { ...errorFields(value), ...value } : value);
function jsonRecord(timestamp, level, requestId, message) {
  const args = Array.isArray(message) ? message : [message];
  const record = { timestamp, level, requestId };
  if (args.length === 1) {
    record.message = args[0];
    try {
      return JSON.stringify(record, errorReplacer);
    } catch {
      record.message = format(args[0]);
      return JSON.stringify(record);
    }
  }
  record.message = format(...args);
  const error = args.find((a) => a instanceof Error);
  if (error) Object.assign(record, errorFields(error));
  return JSON.stringify(record);
}
let started = false; // set once the first invocation arrived: init output is logged as is

function writeHeld() {
  for (const [level, message, timestamp] of held) writeLog(level, message, timestamp);
  if (heldDropped > 0) process.stdout.write(`pipes emulator: ${heldDropped} more lines written between invocations were dropped (at most ${MAX_HELD} are kept)\n`);
  held = [];
  heldDropped = 0;
}

// --- errors in Lambda's shapes --------------------------------------------------------------------------------

function toLambdaError(error) {
  if (error instanceof Error) {
    const reason = error.reason === undefined ? {} : { reason: error.reason, promise: {} };
    // The bootstrap's own frames are the emulator's, not the function's: Lambda shows its runtime's, we show none.
    const trace = (error.stack ?? "").split("\n").filter((line) => !line.includes(BOOTSTRAP_FILE));
    return { errorType: error.name, errorMessage: error.message, ...reason, trace };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/**
 * Ends the invocation's output. What was written to stdout and stderr before the answer (by the handler's
 * streams, fs.writeSync(1, ...), native code, a child process that shares them) is in the pipes once those writes
 * returned, ahead of the answer: the emulator reads what its pipes hold before it ends the invocation
 * (Worker.outputRead), so nothing needs marking then — true, and the answer says `drained`. Only output still
 * queued in this process (a pipe that was full), or a debugger session (its channel is written by the event
 * loop), gets a fence line on each stream, which the emulator waits for.
 */
function endOutput() {
  if (!EVENTED && process.stdout.writableLength === 0 && process.stderr.writableLength === 0) return true;
  process.stdout.write(`${FENCE}\n`);
  process.stderr.write(`${FENCE}\n`);
  return false;
}

/** The frame that reports an error for an invocation, once it is logged and the invocation's output ended. */
function errorReport(kind, id, error, logLabel) {
  const payload = toLambdaError(error);
  writeLog("ERROR", `${logLabel} \t${JSON.stringify({ errorType: payload.errorType, errorMessage: payload.errorMessage, stack: payload.trace })}`);
  const drained = endOutput();
  requestId = undefined; // what comes after this belongs to no invocation
  return frame({ t: kind, id, errorType: payload.errorType, maxRssKb: maxRssKb(), ...(drained ? { drained } : {}) }, JSON.stringify(payload));
}

// Node reports the promises left rejected once the microtasks have drained, in the order they were rejected. A
// promise of our own, rejected after a handler's result, is reported after any the handler left: then all of
// them are known, and none of them reaches a listener the handler installed.
const PROBE = Symbol("pipes: rejections reported");
let afterRejections;
const emit = process.emit;
process.emit = function (name, reason, ...rest) {
  if (name === "unhandledRejection" && reason === PROBE) {
    const done = afterRejections;
    afterRejections = undefined;
    done?.();
    return true;
  }
  return emit.call(this, name, reason, ...rest);
};
function afterPendingRejections(callback) {
  afterRejections = callback;
  Promise.reject(PROBE);
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

// A function's layers (NODE_PATH, src/emulator/layers.ts) for `import` too: see layer-resolve.mjs.
if (process.env.NODE_PATH && typeof Module.register === "function") {
  Module.register(new URL("./layer-resolve.mjs", import.meta.url), { data: { folders: process.env.NODE_PATH.split(":").filter(Boolean) } });
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

/** The function's own folder in the user's project (the task root links to it), for the hints below. */
const CODE_ROOT = process.argv[3] ?? TASK_ROOT;

/** Why a package is missing here though it may be there on the developer's machine, and what to do. */
function importHint(message) {
  const specifier = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
  if (!specifier || specifier.startsWith(".") || specifier.startsWith("/")) return "";
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
  if (name === "aws-sdk") {
    return "\nHint: Lambda's Node.js 18+ runtimes provide the AWS SDK for JavaScript v3 (@aws-sdk/*), not v2 (aws-sdk). Use the v3 clients, or bundle aws-sdk with the function.";
  }
  if (name.startsWith("@aws-sdk/")) {
    return `\nHint: Lambda's Node.js runtimes provide the AWS SDK for JavaScript v3. Locally, pipes provides the @aws-sdk packages installed beside it, and ${name} is not one of them: install it in your project (npm install --save-dev ${name}).`;
  }
  for (let dir = dirname(CODE_ROOT); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", name))) {
      return `\nHint: ${name} is installed in ${join(dir, "node_modules")}, outside the function's folder ${CODE_ROOT}. On Lambda a function has only its own folder (the zip) and the runtime's modules: add ${name} to that folder's own package.json and node_modules (npm install ${name} --prefix ${CODE_ROOT}), or deploy it bundled (pipes deploy-handler bundles a Node.js handler with what it imports, from wherever it resolves).`;
    }
    if (dir === dirname(dir)) break;
  }
  return `\nHint: add ${name} to the function's folder (npm install ${name} --prefix ${CODE_ROOT}): on Lambda a function has only its own folder (the zip) and the runtime's modules.`;
}

/** A TypeScript handler pipes could not bundle (src/emulator/builds.ts): its init fails with esbuild's words. */
const BUILD_ERROR = process.argv[4] === "--init-error" ? JSON.parse(process.argv[5] ?? "{}") : undefined;

async function loadHandler() {
  if (BUILD_ERROR) throw new LambdaError(BUILD_ERROR.errorType ?? "Runtime.ImportModuleError", BUILD_ERROR.error ?? "the handler could not be built");
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
      throw new LambdaError("Runtime.ImportModuleError", `Error: ${error.message}${importHint(error.message)}`);
    }
    throw error;
  }
  const lookup = (base) => exportPath.split(".").reduce((value, key) => (value == null ? undefined : value[key]), base);
  const fn = lookup(module) ?? lookup(module.default);
  if (typeof fn !== "function") {
    throw new LambdaError("Runtime.HandlerNotFound", `${modulePath}.${exportPath} is undefined or not exported`);
  }
  // Lambda's Node.js 24 and later runtimes tell a handler's style by its arity: three parameters or more is a
  // callback handler, which they no longer run (async or not). Their runtime interface client's words.
  const major = Number(/^AWS_Lambda_nodejs(\d+)/.exec(process.env.AWS_EXECUTION_ENV ?? "")?.[1] ?? 0);
  if (major >= 24 && fn.length >= 3) {
    throw new LambdaError(
      "Runtime.CallbackHandlerDeprecated",
      "ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.",
    );
  }
  return fn;
}

// --- one invocation ------------------------------------------------------------------------------------------

function contextFor(event) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: event.functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: event.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: undefined,
    clientContext: event.clientContext ? JSON.parse(event.clientContext) : undefined,
    getRemainingTimeInMillis: () => Math.max(0, event.deadlineMs - Date.now()),
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
  let next = await nextEvent();
  for (;;) {
    const event = next.header;
    const id = event.requestId;
    requestId = id;
    started = true;
    writeHeld();
    let body;
    try {
      const input = JSON.parse(next.body.toString("utf8") || "null");
      const result = await runHandler(handler, input, contextFor(event));
      body = JSON.stringify(result === undefined ? null : result);
    } catch (error) {
      next = await nextEvent(errorReport("error", id, error, "Invoke Error"));
      continue;
    }
    // A promise the handler left rejected fails this invocation instead (see crash): the answer waits until
    // that is known, which is once the microtasks have drained. (On a crash this wait never ends.)
    await new Promise((resolve) => afterPendingRejections(() => crashing || resolve()));
    const header = endOutput() ? { t: "response", id, maxRssKb: maxRssKb(), drained: true } : { t: "response", id, maxRssKb: maxRssKb() };
    requestId = undefined; // what comes after this belongs to no invocation
    next = await nextEvent(frame(header, body));
  }
}

// A crash inside an invocation fails that invocation and ends the sandbox, as on Lambda.
let crashing = false;
async function crash(error, label) {
  if (crashing) return;
  crashing = true;
  if (requestId) await send(errorReport("error", requestId, error, label));
  else writeLog("ERROR", `${label} \t${JSON.stringify(toLambdaError(error))}`);
  process.exit(129);
}

/** Lambda's error for a rejection nobody handled: its own type, the reason's message, the reason inside. */
class UnhandledPromiseRejection extends Error {
  constructor(reason) {
    super(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
    this.reason = toLambdaError(reason);
  }
}
UnhandledPromiseRejection.prototype.name = "Runtime.UnhandledPromiseRejection"; // in the stack's first line too
process.on("uncaughtException", (error) => crash(error, "Uncaught Exception"));
process.on("unhandledRejection", (reason) => crash(new UnhandledPromiseRejection(reason), "Unhandled Promise Rejection"));

// When the process that runs the emulator dies, stdin closes: leave no orphan behind.
process.stdin.on("end", serviceGone);
process.stdin.resume();
// A handler's busy loop (or a freeze) keeps this process from seeing its parent go: the emulator's reaper
// process kills it then (src/emulator/reaper.ts).

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  await send(errorReport("init-error", undefined, error, "Uncaught Exception"));
  process.exit(1);
}
await serve(handler);
