/**
 * The Lambda API's version and alias routes: PublishVersion, ListVersionsByFunction, and Create/Get/Update/Delete/
 * ListAliases (`/2015-03-31/functions/{name}/versions`, `/aliases[/{alias}]`). State lives in versions.ts.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorCore } from "./core.js";
import { readBody, sendAwsError, sendJson } from "./http.js";
import { decodePathSegment, malformedEscapeMessage } from "../util/uri.js";
import { functionArn, functionConfiguration, invalidFunctionName, parseFunctionName } from "./registry.js";
import { aliasConfiguration, invalidAliasName, type QualifierError } from "./versions.js";

/** Publish and alias bodies are small JSON objects. */
const BODY_LIMIT = 64 * 1024;

const ROUTE = /^\/2015-03-31\/functions\/([^/]+)\/(versions|aliases)(?:\/([^/]+))?\/?$/;

export function sendQualifierError(res: ServerResponse, error: QualifierError): void {
  sendAwsError(res, error.status, error.errorType, error.message, { capitalMessage: error.status === 404 || error.status === 409 });
}

/** Answers the request when it is a version or alias route; false otherwise. */
export async function handleVersionsApi(req: IncomingMessage, res: ServerResponse, url: URL, core: EmulatorCore): Promise<boolean> {
  const match = ROUTE.exec(url.pathname);
  if (!match || (match[2] === "versions" && match[3] !== undefined)) return false;
  const method = req.method ?? "GET";
  const body = method === "POST" || method === "PUT" ? await readJson(req, res) : {};
  if (!body) return true;
  const rawName = decodePathSegment(match[1]!);
  const aliasName = match[3] === undefined ? undefined : decodePathSegment(match[3]);
  if (rawName === null || aliasName === null) {
    sendAwsError(res, 400, "ValidationException", malformedEscapeMessage(rawName === null ? match[1]! : match[3]!));
    return true;
  }
  const { name } = parseFunctionName(rawName);
  const invalid = invalidFunctionName(name);
  if (invalid) {
    sendAwsError(res, 400, "ValidationException", invalid);
    return true;
  }
  const fn = core.registry.get(name);
  if (!fn) {
    sendAwsError(res, 404, "ResourceNotFoundException", `Function not found: ${functionArn(name)}`, { capitalMessage: true });
    return true;
  }
  const versions = core.versions;
  const route = `${method} ${match[2]}${aliasName === undefined ? "" : "/"}`;
  switch (route) {
    case "POST versions": {
      const published = versions.publish(fn, body);
      if ("status" in published) sendQualifierError(res, published);
      else sendJson(res, 201, functionConfiguration(published));
      return true;
    }
    case "GET versions":
      // Few enough to answer in one page (VERSIONS_PER_FUNCTION_LIMIT); no NextMarker.
      sendJson(res, 200, { Versions: [functionConfiguration(fn), ...versions.list(name).map(functionConfiguration)] });
      return true;
    case "GET aliases":
      sendJson(res, 200, { Aliases: versions.aliases(name, url.searchParams.get("FunctionVersion") ?? undefined).map((a) => aliasConfiguration(name, a)) });
      return true;
    case "POST aliases": {
      const problem = invalidAliasName(body.Name);
      if (problem) {
        sendQualifierError(res, problem);
        return true;
      }
      const created = versions.putAlias(fn, body.Name as string, body);
      if ("status" in created) sendQualifierError(res, created);
      else sendJson(res, 201, aliasConfiguration(name, created));
      return true;
    }
  }
  const alias = aliasName === undefined ? undefined : versions.alias(name, aliasName);
  if (!alias) {
    sendAwsError(res, 404, "ResourceNotFoundException", `Alias not found: ${functionArn(name)}:${aliasName}`, { capitalMessage: true });
    return true;
  }
  switch (route) {
    case "GET aliases/":
      sendJson(res, 200, aliasConfiguration(name, alias));
      return true;
    case "PUT aliases/": {
      const updated = versions.putAlias(fn, alias.name, body, alias);
      if ("status" in updated) sendQualifierError(res, updated);
      else sendJson(res, 200, aliasConfiguration(name, updated));
      return true;
    }
    case "DELETE aliases/":
      versions.deleteAlias(name, alias.name);
      res.writeHead(204, { "x-amzn-RequestId": randomUUID() }).end();
      return true;
    default:
      return false;
  }
}

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown> | undefined> {
  const body = await readBody(req, BODY_LIMIT);
  if (body === "too-large") {
    sendAwsError(res, 413, "RequestTooLargeException", `Request must be smaller than ${BODY_LIMIT} bytes`);
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
