/**
 * Who may talk to the emulator: it runs code as the user, so a request must come from a client on this machine
 * that addressed it by its loopback name (no DNS rebinding), must not come from a web page (browsers mark their
 * requests with Origin and Sec-Fetch-*), and an API call must be signed as every AWS SDK and the AWS CLI sign
 * (SigV4). Workers' Runtime API calls carry their own unguessable path instead of a signature. Pure.
 */
import type { IncomingHttpHeaders } from "node:http";

export interface Refusal {
  status: number;
  type: string;
  message: string;
}

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

export function refusal(headers: IncomingHttpHeaders, path: string, port: number): Refusal | null {
  const host = headers.host ?? "";
  if (!LOOPBACK_HOSTS.some((name) => host === `${name}:${port}`)) {
    return { status: 403, type: "AccessDeniedException", message: "pipes emulator: requests must address it as 127.0.0.1 or localhost with its port (Host header)" };
  }
  if (headers.origin !== undefined || Object.keys(headers).some((name) => name.startsWith("sec-fetch-"))) {
    return { status: 403, type: "AccessDeniedException", message: "pipes emulator: requests from web pages are refused" };
  }
  if (path.startsWith("/w/")) return null;
  const authorization = headers.authorization;
  if (typeof authorization !== "string" || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
    return { status: 403, type: "MissingAuthenticationTokenException", message: "Missing Authentication Token: sign requests with SigV4, as the AWS SDKs and the AWS CLI do" };
  }
  return null;
}
