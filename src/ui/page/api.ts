// The server's JSON API (README: "pipes ui"), and the token that actions carry.
// The shapes are the server's own (type-only imports: nothing of the server is bundled into the page).
import type { DefsResponse } from "../api.js";

export type { RunSummary } from "../../history/read.js";
export type { Attempt } from "../outcomes.js";
export type Defs = DefsResponse;
export type Asset = Defs["assets"][number];

// biome-ignore lint/suspicious/noExplicitAny: events are read field by field, as README's --json table has them
export type RunEvent = Record<string, any> & { type: string };

const TOKEN_KEY = "pipes-token";
const token = () => sessionStorage.getItem(TOKEN_KEY) ?? "";

/** Every read carries the token: the server answers nothing of the history without it. */
export async function get<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { Accept: "application/json", "X-Pipes-Token": token() } });
  if (res.status === 403 && !token()) throw new Error("This page needs its token: open it from the URL pipes printed (…/?token=…).");
  if (!res.ok) throw new Error(`${path}: ${res.status} ${((await res.json().catch(() => ({}))) as { error?: string }).error ?? ""}`);
  return (await res.json()) as T;
}

/** The live stream's address: an EventSource cannot send a header, so the token goes in its query. */
export const liveUrl = (): string => `/api/live?token=${encodeURIComponent(token())}`;

/** The token comes once in the URL (`?token=`): kept for this tab, taken out of the address bar. */
export function takeToken(): void {
  const url = new URL(location.href);
  const token = url.searchParams.get("token");
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  url.searchParams.delete("token");
  history.replaceState(null, "", url.toString());
}

/** Starts a run in `pipes dev --ui`; the answer is the asset keys the selection named and the request's number. */
export async function materialize(assets: string[]): Promise<{ started: string[]; request: number }> {
  const res = await fetch("/api/materialize", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Pipes-Token": token() },
    body: JSON.stringify({ assets }),
  });
  if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`);
  return (await res.json()) as { started: string[]; request: number };
}
