/**
 * Who may talk to the UI server. It binds to loopback only, and a request must address it by its loopback name
 * and port (a DNS-rebinding page cannot: its Host is its own name); a request a browser marks with an Origin must
 * come from the page itself (no cross-site reads or actions); every API request (a read of the history, the
 * live stream, an action that runs something) must carry the token made at start (printed with the URL). Pure.
 */
import type { IncomingHttpHeaders } from "node:http";

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost"];

export function refused(headers: IncomingHttpHeaders, port: number): string | null {
  const host = headers.host ?? "";
  if (!LOOPBACK_HOSTS.some((name) => host === `${name}:${port}`)) return "requests must address the server as 127.0.0.1 or localhost with its port";
  const origin = headers.origin;
  if (origin !== undefined && !LOOPBACK_HOSTS.some((name) => origin === `http://${name}:${port}`)) return "requests from other sites are refused";
  return null;
}

/** Compares in constant time, so the token cannot be guessed a character at a time. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (typeof given !== "string" || given.length !== token.length) return false;
  let diff = 0;
  for (let i = 0; i < token.length; i++) diff |= given.charCodeAt(i) ^ token.charCodeAt(i);
  return diff === 0;
}
