/**
 * The Lambda service API (`/2015-03-31/functions/...`): Invoke, and the management calls deploy and
 * inspection need. Status codes, headers and error shapes follow what `@aws-sdk/client-lambda` parses.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorCore } from "./core.js";
import type { InvokeRequest } from "./invocation.js";
import { readBody, sendAwsError, sendJson } from "./http.js";
import { logTail } from "./log-format.js";
import { ASYNC_PAYLOAD_LIMIT as ASYNC_LIMIT, CODE_UPLOAD_REQUEST_LIMIT, SYNC_PAYLOAD_LIMIT as SYNC_LIMIT } from "../facts/lambda.js";
import { decodePathSegment, malformedEscapeMessage } from "../util/uri.js";
import { functionArn, functionConfiguration, invalidFunctionName, LATEST, parseFunctionName, type RegisteredFunction } from "./registry.js";
import { apiErrorStatus } from "./settings.js";
import { poolKey } from "./versions.js";
import { handleVersionsApi, sendQualifierError } from "./versions-api.js";
import { qualifiedTarget, type QualifiedTarget } from "./qualified.js";

const CLIENT_CONTEXT_LIMIT = 3583;
/** A management body carries a base64 zip of up to 50 MB; no API body is larger. */
const MANAGEMENT_LIMIT = CODE_UPLOAD_REQUEST_LIMIT;

const FUNCTIONS = /^\/2015-03-31\/functions\/?$/;
const FUNCTION = /^\/2015-03-31\/functions\/([^/]+)(\/invocations|\/configuration|\/code)?\/?$/;

export async function handleLambdaApi(req: IncomingMessage, res: ServerResponse, url: URL, core: EmulatorCore): Promise<boolean> {
  const method = req.method ?? "GET";
  if (await handleVersionsApi(req, res, url, core)) return true;
  if (FUNCTIONS.test(url.pathname)) {
    if (method === "GET") listFunctions(res, url, core);
    else if (method === "POST") await createFunction(req, res, core);
    else return false;
    return true;
  }
  const match = FUNCTION.exec(url.pathname);
  if (!match) return false;
  const decoded = decodePathSegment(match[1]!);
  if (decoded === null) {
    sendAwsError(res, 400, "ValidationException", malformedEscapeMessage(match[1]!));
    return true;
  }
  const { name, qualifier: inName } = parseFunctionName(decoded);
  const qualifier = url.searchParams.get("Qualifier") ?? inName;
  const invalid = invalidFunctionName(name, qualifier);
  if (invalid) {
    await readBody(req, MANAGEMENT_LIMIT);
    sendAwsError(res, 400, "ValidationException", invalid);
    return true;
  }
  const latest = core.registry.get(name);
  const route = `${method} ${match[2] ?? ""}`;
  if (!latest) {
    await readBody(req, MANAGEMENT_LIMIT);
    const arn = `${functionArn(name)}${qualifier ? `:${qualifier}` : ""}`;
    sendAwsError(res, 404, "ResourceNotFoundException", `Function not found: ${arn}`, { capitalMessage: true });
    return true;
  }
  const target = qualifiedTarget(core, latest, qualifier, inName, route);
  if ("status" in target) {
    await readBody(req, MANAGEMENT_LIMIT);
    sendQualifierError(res, target);
    return true;
  }
  const fn = target.fn;
  switch (route) {
    case "POST /invocations":
      await invoke(req, res, target, core);
      return true;
    case "GET ":
      // As AWS: Concurrency only when reserved concurrency was set for the function.
      sendJson(res, 200, {
        Configuration: target.configuration,
        Code: { RepositoryType: "S3", Location: `file://${fn.codeRoot}` },
        ...(fn.reservedConcurrency ? { Concurrency: { ReservedConcurrentExecutions: fn.concurrency } } : {}),
      });
      return true;
    case "GET /configuration":
      sendJson(res, 200, target.configuration);
      return true;
    case "PUT /code":
      await updateCode(req, res, fn, core);
      return true;
    case "PUT /configuration":
      await updateConfiguration(req, res, fn, core);
      return true;
    case "DELETE ":
      if (qualifier !== undefined) {
        const deleted = core.deleteVersion(fn.name, qualifier);
        if (deleted) sendQualifierError(res, deleted);
        else res.writeHead(204, { "x-amzn-RequestId": randomUUID() }).end();
        return true;
      }
      core.deleteFunction(fn.name);
      res.writeHead(204, { "x-amzn-RequestId": randomUUID() }).end();
      return true;
    default:
      return false;
  }
}

async function invoke(req: IncomingMessage, res: ServerResponse, target: QualifiedTarget, core: EmulatorCore): Promise<void> {
  const fn = target.fn;
  const type = header(req, "x-amz-invocation-type") ?? "RequestResponse";
  if (type !== "RequestResponse" && type !== "Event" && type !== "DryRun") {
    await readBody(req, SYNC_LIMIT);
    sendAwsError(res, 400, "InvalidParameterValueException", `Unsupported invocation type: ${type}`);
    return;
  }
  const limit = type === "Event" ? ASYNC_LIMIT : SYNC_LIMIT;
  const body = await readBody(req, limit);
  if (body === "too-large") {
    sendAwsError(res, 413, "RequestTooLargeException", `Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
    return;
  }
  const payload = body.length === 0 ? Buffer.from("{}") : body;
  try {
    JSON.parse(payload.toString("utf8"));
  } catch (error) {
    const reason = (error as Error).message;
    sendAwsError(res, 400, "InvalidRequestContentException", `Could not parse request body into json: Could not parse payload into json: ${reason}`);
    return;
  }
  const clientContext = decodeClientContext(header(req, "x-amz-client-context"));
  if (clientContext === false) {
    sendAwsError(res, 400, "InvalidRequestContentException", "Client context must be a valid Base64-encoded JSON object.");
    return;
  }
  if (type === "DryRun") {
    res.writeHead(204, { "x-amzn-RequestId": randomUUID() }).end();
    return;
  }
  const requestId = randomUUID();
  const request: InvokeRequest = {
    requestId,
    payload,
    clientContext: type === "Event" ? null : clientContext,
    invocationType: type,
    invokedFunctionArn: target.invokedArn,
  };
  if (type === "Event") {
    const full = core.eventQueue.admit(fn.name, payload.length);
    if (full) {
      sendAwsError(res, 429, "TooManyRequestsException", "Rate Exceeded. (the emulator's Event queue is full: see README, Limits)", {
        body: { Reason: full },
        headers: { "Retry-After": "1" },
      });
      return;
    }
    res.writeHead(202, { "x-amzn-RequestId": requestId, "Content-Length": 0 }).end();
    // Nobody awaits an Event invocation; one cut short by the emulator closing has nowhere to report to.
    core.eventsInFlight++;
    core
      .invoke(poolKey(fn), request, true)
      .catch(() => undefined)
      .finally(() => {
        core.eventsInFlight--;
        core.eventQueue.release(fn.name, payload.length);
      });
    return;
  }
  const outcome = await core.invoke(poolKey(fn), request, false);
  if (outcome === "throttled") {
    sendAwsError(res, 429, "TooManyRequestsException", "Rate Exceeded.", {
      body: { Reason: "ReservedFunctionConcurrentInvocationLimitExceeded" },
      headers: { "Retry-After": "1" },
    });
    return;
  }
  const headers: Record<string, string | number> = {
    "Content-Type": "application/json",
    "Content-Length": outcome.payload.length,
    "X-Amz-Executed-Version": fn.version ?? LATEST,
    "x-amzn-RequestId": requestId,
  };
  if (outcome.status !== "success") headers["X-Amz-Function-Error"] = "Unhandled";
  if (header(req, "x-amz-log-type") === "Tail") headers["X-Amz-Log-Result"] = logTail(outcome.end.log);
  res.writeHead(200, headers);
  res.end(outcome.payload);
}

/** The header's JSON text, null when absent, false when it is not base64 of a JSON object within the limit. */
function decodeClientContext(value: string | undefined): string | null | false {
  if (!value) return null;
  if (value.length > CLIENT_CONTEXT_LIMIT) return false;
  const text = Buffer.from(value, "base64").toString("utf8");
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? text : false;
  } catch {
    return false;
  }
}

/** Lambda returns at most 50 functions per ListFunctions page, whatever MaxItems asks. */
const LIST_PAGE_MAX = 50;

/** ListFunctions in pages, as AWS pages it: `MaxItems` (1–10,000), an opaque `Marker`, `NextMarker` while more. */
function listFunctions(res: ServerResponse, url: URL, core: EmulatorCore): void {
  const maxItems = url.searchParams.get("MaxItems");
  const marker = url.searchParams.get("Marker");
  let pageSize = LIST_PAGE_MAX;
  if (maxItems !== null) {
    const n = Number(maxItems);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) {
      const constraint = n > 10_000 ? "less than or equal to 10000" : "greater than or equal to 1";
      sendAwsError(res, 400, "ValidationException", `1 validation error detected: Value '${maxItems.slice(0, 20)}' at 'maxItems' failed to satisfy constraint: Member must have value ${constraint}`);
      return;
    }
    pageSize = Math.min(n, LIST_PAGE_MAX);
  }
  const all = core.registry.list();
  let start = 0;
  if (marker !== null) {
    // The marker names the last function of the previous page (sorted by name), so deletes between pages are fine.
    const after = Buffer.from(marker, "base64url").toString("utf8");
    if (!marker || invalidFunctionName(after)) {
      sendAwsError(res, 400, "InvalidParameterValueException", "Invalid marker");
      return;
    }
    start = all.findIndex((fn) => fn.name.localeCompare(after) > 0);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + pageSize);
  const more = start + pageSize < all.length;
  sendJson(res, 200, {
    Functions: page.map(functionConfiguration),
    ...(more ? { NextMarker: Buffer.from(page.at(-1)!.name).toString("base64url") } : {}),
  });
}

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown> | undefined> {
  const body = await readBody(req, MANAGEMENT_LIMIT);
  if (body === "too-large") {
    sendAwsError(res, 413, "RequestTooLargeException", `Request must be smaller than ${MANAGEMENT_LIMIT} bytes for the CreateFunction operation`);
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8") || "{}");
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  sendAwsError(res, 400, "InvalidRequestContentException", "Could not parse request body into json");
  return undefined;
}

async function createFunction(req: IncomingMessage, res: ServerResponse, core: EmulatorCore): Promise<void> {
  const body = await readJson(req, res);
  if (!body) return;
  const name = typeof body.FunctionName === "string" ? parseFunctionName(body.FunctionName).name : "";
  const code = body.Code as { ZipFile?: string } | undefined;
  const missing = [
    !name && "FunctionName",
    typeof body.Role !== "string" && "Role",
    typeof code?.ZipFile !== "string" && "Code.ZipFile",
    typeof body.Handler !== "string" && "Handler",
    typeof body.Runtime !== "string" && "Runtime",
  ].filter(Boolean);
  if (missing.length > 0) {
    const detail = code && typeof code.ZipFile !== "string" ? " (the emulator takes code as Code.ZipFile, not from S3 or an image)" : "";
    sendAwsError(res, 400, "InvalidParameterValueException", `Missing or invalid: ${missing.join(", ")}${detail}`);
    return;
  }
  const invalid = invalidFunctionName(name);
  if (invalid) {
    sendAwsError(res, 400, "ValidationException", invalid);
    return;
  }
  if (core.registry.has(name)) {
    sendAwsError(res, 409, "ResourceConflictException", `Function already exist: ${name}`);
    return;
  }
  const result = await core.deploy(name, Buffer.from(code!.ZipFile!, "base64"), body);
  if ("errorType" in result) {
    sendAwsError(res, apiErrorStatus(result), result.errorType, result.message);
    return;
  }
  sendJson(res, 201, functionConfiguration(result));
}

async function updateCode(req: IncomingMessage, res: ServerResponse, fn: RegisteredFunction, core: EmulatorCore): Promise<void> {
  const body = await readJson(req, res);
  if (!body) return;
  if (typeof body.ZipFile !== "string") {
    sendAwsError(res, 400, "InvalidParameterValueException", "The emulator takes code as ZipFile, not from S3 or an image");
    return;
  }
  if (body.DryRun === true) {
    sendJson(res, 200, functionConfiguration(fn));
    return;
  }
  const result = await core.deploy(fn.name, Buffer.from(body.ZipFile, "base64"), {});
  if ("errorType" in result) sendAwsError(res, apiErrorStatus(result), result.errorType, result.message);
  else sendJson(res, 200, functionConfiguration(result));
}

async function updateConfiguration(req: IncomingMessage, res: ServerResponse, fn: RegisteredFunction, core: EmulatorCore): Promise<void> {
  const body = await readJson(req, res);
  if (!body) return;
  const result = core.configure(fn.name, body);
  if ("errorType" in result) sendAwsError(res, 400, result.errorType, result.message);
  else sendJson(res, 200, functionConfiguration(result));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
