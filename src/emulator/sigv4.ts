/**
 * SigV4 verification as AWS does it: the server rebuilds the canonical request from what it received, signs it
 * with the secret of the access key the client named, and compares. Only the headers the client listed in
 * SignedHeaders take part, so any SDK (JS, botocore, the AWS CLI) verifies whatever else it sends. Pure: the body's
 * hash and the clock come in as arguments.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Refusal } from "./guard.js";

export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  /** The request target exactly as received: path and query, still percent-encoded. */
  target: string;
  /** Node's `req.rawHeaders`: names and values alternating, duplicates kept. */
  rawHeaders: string[];
  /** Hex SHA-256 of the body as received. */
  bodySha256: string;
}

/** AWS refuses a signature older or newer than this (its "Signature expired" / "not yet current"). */
const MAX_SKEW_MS = 5 * 60 * 1000;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

interface Authorization {
  date: string;
  region: string;
  service: string;
  signedHeaderList: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
}

/**
 * What can be checked before a byte of the body is read: the Authorization header's form, the access key, the
 * signed headers, the clock skew and the credential date. A request that fails here is refused without its body.
 */
export function verifyHeaders(rawHeaders: string[], credentials: EmulatorCredentials, now: number): Refusal | null {
  const parsed = checkAuthorization(headerValues(rawHeaders), credentials, now);
  return "status" in parsed ? parsed : null;
}

function checkAuthorization(headers: Map<string, string>, credentials: EmulatorCredentials, now: number): Authorization | Refusal {
  const match = AUTHORIZATION.exec(headers.get("authorization") ?? "");
  if (!match) return invalid("IncompleteSignatureException", "Authorization header requires Credential, SignedHeaders and Signature (AWS4-HMAC-SHA256).");
  const [, credential, signedHeaderList, signature] = match as unknown as [string, string, string, string];
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split("/");
  if (!accessKeyId || !date || !region || !service || terminator !== "aws4_request" || rest.length > 0) {
    return invalid("IncompleteSignatureException", `Credential should be scoped to a valid region, service and date: ${credential.slice(0, 200)}`);
  }
  if (accessKeyId !== credentials.accessKeyId) {
    return invalid("UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  const signedHeaders = signedHeaderList.split(";");
  const amzDate = headers.get("x-amz-date") ?? "";
  const time = parseAmzDate(amzDate);
  if (!signedHeaders.includes("host") || time === null || !signedHeaders.includes("x-amz-date")) {
    return invalid("IncompleteSignatureException", "The request must sign the host and x-amz-date headers.");
  }
  if (Math.abs(now - time) > MAX_SKEW_MS) {
    return invalid("InvalidSignatureException", `Signature expired: ${amzDate} is not within 5 minutes of the emulator's clock.`);
  }
  if (date !== amzDate.slice(0, 8)) return invalid("InvalidSignatureException", `Credential date ${date} does not match x-amz-date ${amzDate}.`);
  return { date, region, service, signedHeaderList, signedHeaders, signature, amzDate };
}

/** Null when the request is signed with `credentials`, else why not, in AWS's words and error codes. */
export function verifySignature(request: SignedRequest, credentials: EmulatorCredentials, now: number): Refusal | null {
  const headers = headerValues(request.rawHeaders);
  const parsed = checkAuthorization(headers, credentials, now);
  if ("status" in parsed) return parsed;
  const { date, region, service, signedHeaderList, signedHeaders, signature, amzDate } = parsed;
  const declaredHash = headers.get("x-amz-content-sha256");
  if (declaredHash !== undefined && declaredHash !== request.bodySha256) {
    return invalid("InvalidSignatureException", "The provided x-amz-content-sha256 header does not match what was computed.");
  }
  const canonicalRequest = [
    request.method,
    canonicalPath(request.target),
    canonicalQuery(request.target),
    signedHeaders.map((name) => `${name}:${headers.get(name) ?? ""}\n`).join(""),
    signedHeaderList,
    request.bodySha256,
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, date);
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
    return invalid(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    );
  }
  return null;
}

function invalid(type: string, message: string): Refusal {
  return { status: 403, type, message };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** Lower-case name → values trimmed, inner runs of spaces collapsed, duplicates joined with commas (SigV4's rule). */
function headerValues(rawHeaders: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!.trim().replace(/ +/g, " ");
    const before = values.get(name);
    values.set(name, before === undefined ? value : `${before},${value}`);
  }
  return values;
}

function parseAmzDate(value: string): number | null {
  const m = AMZ_DATE.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters percent-encoded, upper-case hex. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Every service but S3 signs the path normalized (`.` and `..` and empty segments resolved) and encoded once more
 * than it travels, slashes kept.
 */
function canonicalPath(target: string): string {
  const path = target.split("?")[0] || "/";
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return uriEncode(normalized).replace(/%2F/g, "/");
}

function canonicalQuery(target: string): string {
  const at = target.indexOf("?");
  if (at < 0) return "";
  return target
    .slice(at + 1)
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? "" : pair.slice(eq + 1);
      return [uriEncode(safeDecode(key)), uriEncode(safeDecode(value))] as const;
    })
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}
