/**
 * Lambda's layer API (`/2018-10-31/layers/...`): PublishLayerVersion (Content.ZipFile), GetLayerVersion,
 * GetLayerVersionByArn, ListLayers, ListLayerVersions, DeleteLayerVersion, in the shapes @aws-sdk/client-lambda
 * parses. What a function's `Layers` resolve to is layer-store.ts.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CODE_UPLOAD_REQUEST_LIMIT } from "../facts/lambda.js";
import { decodePathSegment } from "../util/uri.js";
import type { EmulatorCore } from "./core.js";
import { readBody, sendAwsError, sendJson } from "./http.js";
import { layerNameOf, type LayerVersion } from "./layer-store.js";
import { apiErrorStatus } from "./settings.js";

const LAYERS = /^\/2018-10-31\/layers\/?$/;
const VERSIONS = /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/;
const VERSION = /^\/2018-10-31\/layers\/([^/]+)\/versions\/([^/]+)\/?$/;

const notFound = (res: ServerResponse) => sendAwsError(res, 404, "ResourceNotFoundException", "The resource you requested does not exist.", { capitalMessage: true });

export async function handleLayersApi(req: IncomingMessage, res: ServerResponse, url: URL, core: EmulatorCore): Promise<boolean> {
  const method = req.method ?? "GET";
  const store = core.layerStore;
  if (LAYERS.test(url.pathname) && method === "GET") {
    if (url.searchParams.get("find") === "LayerVersion") {
      // GetLayerVersionByArn
      const match = /^(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9_-]+):(\d+)$/.exec(url.searchParams.get("Arn") ?? "");
      const name = match ? layerNameOf(match[1]!) : null;
      const found = name ? store.get(name, Number(match![2])) : undefined;
      if (!found || found.layerArn !== match![1]) notFound(res);
      else sendJson(res, 200, versionShape(found));
      return true;
    }
    const runtime = url.searchParams.get("CompatibleRuntime");
    const layers = store
      .latest()
      .map((latest) => (runtime ? store.versions(latest.name).find((v) => v.compatibleRuntimes.includes(runtime)) : latest))
      .filter((v): v is LayerVersion => v !== undefined);
    sendJson(res, 200, { Layers: layers.map((v) => ({ LayerName: v.name, LayerArn: v.layerArn, LatestMatchingVersion: versionItem(v) })) });
    return true;
  }
  const versions = VERSIONS.exec(url.pathname);
  const version = VERSION.exec(url.pathname);
  const rawName = versions?.[1] ?? version?.[1];
  if (rawName === undefined) return false;
  const decoded = decodePathSegment(rawName);
  const name = decoded === null ? null : layerNameOf(decoded);
  if (name === null) {
    await readBody(req, CODE_UPLOAD_REQUEST_LIMIT);
    sendAwsError(
      res,
      400,
      "ValidationException",
      `1 validation error detected: Value '${(decoded ?? rawName).slice(0, 140)}' at 'layerName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+`,
    );
    return true;
  }
  if (versions && method === "POST") {
    await publish(req, res, name, core);
    return true;
  }
  if (versions && method === "GET") {
    const runtime = url.searchParams.get("CompatibleRuntime");
    const list = store.versions(name).filter((v) => !runtime || v.compatibleRuntimes.includes(runtime));
    sendJson(res, 200, { LayerVersions: list.map(versionItem) });
    return true;
  }
  if (!version) return false;
  const number = Number(version[2]);
  if (!Number.isInteger(number) || number < 1) {
    sendAwsError(res, 400, "ValidationException", `1 validation error detected: Value '${version[2]!.slice(0, 20)}' at 'versionNumber' failed to satisfy constraint: Member must be a number`);
    return true;
  }
  if (method === "GET") {
    const found = store.get(name, number);
    if (!found) notFound(res);
    else sendJson(res, 200, versionShape(found));
    return true;
  }
  if (method === "DELETE") {
    // As AWS: deleting a version that is not there succeeds.
    store.delete(name, number);
    res.writeHead(204, { "x-amzn-RequestId": randomUUID() }).end();
    return true;
  }
  return false;
}

async function publish(req: IncomingMessage, res: ServerResponse, name: string, core: EmulatorCore): Promise<void> {
  const body = await readBody(req, CODE_UPLOAD_REQUEST_LIMIT);
  if (body === "too-large") {
    sendAwsError(res, 413, "RequestTooLargeException", `Request must be smaller than ${CODE_UPLOAD_REQUEST_LIMIT} bytes for the PublishLayerVersion operation`);
    return;
  }
  let settings: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8") || "{}");
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    settings = parsed as Record<string, unknown>;
  } catch {
    sendAwsError(res, 400, "InvalidRequestContentException", "Could not parse request body into json");
    return;
  }
  const zip = (settings.Content as { ZipFile?: unknown } | undefined)?.ZipFile;
  if (typeof zip !== "string") {
    sendAwsError(res, 400, "InvalidParameterValueException", "Missing or invalid: Content.ZipFile (the emulator takes a layer's content as Content.ZipFile, not from S3)");
    return;
  }
  const result = await core.layerStore.publish(name, Buffer.from(zip, "base64"), settings);
  if ("errorType" in result) sendAwsError(res, apiErrorStatus(result), result.errorType, result.message);
  else sendJson(res, 201, versionShape(result));
}

/** PublishLayerVersion's and GetLayerVersion's answer. */
function versionShape(v: LayerVersion): Record<string, unknown> {
  return {
    Content: { Location: `file://${v.folder}`, CodeSha256: v.codeSha256, CodeSize: v.codeSize },
    LayerArn: v.layerArn,
    ...versionItem(v),
  };
}

/** A LayerVersionsListItem. */
function versionItem(v: LayerVersion): Record<string, unknown> {
  return {
    LayerVersionArn: v.arn,
    Version: v.version,
    Description: v.description,
    CreatedDate: v.createdDate,
    CompatibleRuntimes: v.compatibleRuntimes,
    CompatibleArchitectures: v.compatibleArchitectures,
    ...(v.licenseInfo !== undefined ? { LicenseInfo: v.licenseInfo } : {}),
  };
}
