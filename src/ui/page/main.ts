// The page: a hash router over the views, and, under `pipes dev --ui`, the live stream that refreshes the
// page as runs happen (under `pipes ui`, a look at the run history every few seconds).
import { followAction } from "./action.js";
import { get, liveUrl, takeToken } from "./api.js";
import { h } from "./dom.js";
import { running } from "./outcome.js";
import { assetPage, assetsPage, runPage, runsPage } from "./views.js";

const app = document.getElementById("app")!;
let rendering = 0;

async function render(): Promise<void> {
  const id = ++rendering;
  const path = location.hash.replace(/^#/, "") || "/";
  const asset = /^\/asset\/(.+)$/.exec(path);
  const run = /^\/runs\/([\w-]+)$/.exec(path);
  let view: HTMLElement;
  try {
    view = asset ? await assetPage(decodeURIComponent(asset[1]!)) : run ? await runPage(run[1]!) : path === "/runs" ? await runsPage() : await assetsPage();
  } catch (error) {
    view = h("section", {}, h("h1", {}, "Something went wrong"), h("p", { class: "warnings" }, (error as Error).message));
  }
  // A slower render of an older route must not replace a newer one.
  if (id !== rendering) return;
  app.replaceChildren(view);
  document.body.dataset.rendered = String(id);
}

/** Without a live stream (`pipes ui`), the run history is looked at every few seconds: a new run shows by itself. */
const POLL_MS = 3000;

function poll(): void {
  let newest: string | null | undefined;
  const look = async () => {
    const { runs } = await get<{ runs: Array<{ runId: string; outcome: string }> }>("/api/runs").catch(() => ({ runs: [] }));
    const head = runs[0] ? `${runs[0].runId} ${runs[0].outcome}` : null;
    if (newest !== undefined && head !== newest) render();
    newest = head;
  };
  look();
  window.setInterval(() => document.visibilityState === "visible" && look(), POLL_MS);
}

async function follow(): Promise<void> {
  const defs = await get<{ live: boolean }>("/api/defs").catch(() => ({ live: false }));
  if (!defs.live) return poll();
  const badge = document.getElementById("live")!;
  const source = new EventSource(liveUrl());
  let timer: number | undefined;
  source.onopen = () => {
    badge.textContent = "● live";
  };
  source.onerror = () => {
    badge.textContent = "○ reconnecting";
  };
  source.onmessage = (message) => {
    const event = JSON.parse(message.data) as { type: string; asset?: string };
    // Not a run's event, and no run started: the badge stays; the page is read again, as the definitions it shows
    // have likely changed (that is why a run could not start).
    if (event.type === "materialize-error") {
      followAction(event);
      window.clearTimeout(timer);
      timer = window.setTimeout(render, 0);
      return;
    }
    markRunning(event);
    followAction(event);
    badge.textContent = event.type === "run-end" ? "● live" : `● running${event.asset ? ` ${event.asset}` : ""}`;
    // Re-read the page's data once the burst of events settles.
    window.clearTimeout(timer);
    timer = window.setTimeout(render, event.type === "run-end" ? 0 : 300);
  };
}

/** Invocations in flight per asset: a partitioned asset runs several at once, and is running until the last ends. */
const inFlight = new Map<string, number>();

/** A node says running as soon as its invocation starts, before the page's data is read again. */
function markRunning(event: { type: string; asset?: string }): void {
  if (event.type === "invocation-start" && event.asset) {
    inFlight.set(event.asset, (inFlight.get(event.asset) ?? 0) + 1);
    running.add(event.asset);
    const node = document.querySelector(`g.node[data-asset="${CSS.escape(event.asset)}"]`);
    node?.setAttribute("class", "node running");
    node?.setAttribute("data-outcome", "running");
    const text = node?.querySelector("text.outcome");
    if (text) {
      text.textContent = "● running";
      text.setAttribute("class", "outcome live");
    }
  } else if (event.type === "asset-end" && event.asset) {
    const left = (inFlight.get(event.asset) ?? 1) - 1;
    if (left > 0) inFlight.set(event.asset, left);
    else {
      inFlight.delete(event.asset);
      running.delete(event.asset);
    }
  } else if (event.type === "run-end") {
    inFlight.clear();
    running.clear();
  }
}

takeToken();
window.addEventListener("hashchange", render);
render();
follow();
