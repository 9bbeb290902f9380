// What a Materialize button of `pipes dev --ui` started, followed on the live stream until its run ends: starting,
// running, then the result (✔, or ✖ with the first line of the error). Kept here, not in the button: the page is
// rebuilt as the run's events arrive, and each new button shows the state its action is in.
import { h } from "./dom.js";
import { stepMark } from "./outcome.js";
import { errorLine } from "./run-model.js";

type Phase = "starting" | "running" | "ok" | "failed" | "skipped" | "interrupted" | "refused";

interface Action {
  keys: string[];
  phase: Phase;
  /** The server's number for the request that queued it: a run that cannot start is reported under it. */
  request: number | null;
  runId: string | null;
  /** Each asset's outcome in the run, with its first error line (or its reason). */
  results: Map<string, { status: string; why: string | null }>;
  errors: Map<string, string>;
  /** Why it was refused, or why its run could not start. */
  message: string | null;
  /** A later click's refusal, shown beside the status of the run this action still follows. */
  refusal: string | null;
}

const actions = new Map<string, Action>();

/** The last few runs seen on the stream, with their events: a run can start before the button's request answers. */
interface SeenRun {
  runId: string;
  assets: string[];
  /** The count of runs seen before it: a run an action may claim started after its click. */
  seq: number;
  events: LiveEvent[];
  action: string | null;
}
const RECENT_RUNS = 3;
const RECENT_EVENTS = 10_000;
const recent: SeenRun[] = [];
let runsSeen = 0;

/** The status line of action `id`, filled now and kept up to date while it is in the page. */
export function actionStatus(id: string): HTMLElement {
  const span = h("span", { class: "action-status", "data-action-id": id, role: "status" });
  paint(span, actions.get(id));
  return span;
}

/** Said at the click, before the request: runs seen from now on may be this action's. */
export const clicked = (): number => runsSeen;

/** The server started `keys` for the action clicked at `mark`: the first run since then that runs them is its. */
export function started(id: string, keys: string[], mark: number, request: number): void {
  const action: Action = { keys, phase: "starting", request, runId: null, results: new Map(), errors: new Map(), message: null, refusal: null };
  actions.set(id, action);
  const run = recent.find((r) => r.seq >= mark && !r.action && keys.every((k) => r.assets.includes(k)));
  if (run) claim(id, action, run);
  repaint(id);
}

/**
 * The server refused a click. While the action's run is starting or running, that status stays (the run goes on)
 * and the refusal is shown beside it; otherwise the refusal is the status.
 */
export function refused(id: string, message: string): void {
  const current = actions.get(id);
  if (current && (current.phase === "starting" || current.phase === "running")) current.refusal = message;
  else actions.set(id, { keys: [], phase: "refused", request: null, runId: null, results: new Map(), errors: new Map(), message, refusal: null });
  repaint(id);
}

type LiveEvent = {
  type: string;
  runId?: string;
  assets?: string[];
  asset?: string | null;
  status?: string;
  reason?: string | null;
  errorType?: string;
  message?: string;
  ok?: boolean;
  request?: number;
};

/** Every event of the live stream passes here: runs are one at a time in `pipes dev`, so a step belongs to the latest. */
export function followAction(event: LiveEvent): void {
  if (event.type === "materialize-error") {
    // Its run never started: the action that asked for it fails with the reason, and its button is free again.
    const entry = [...actions].find(([, a]) => a.phase === "starting" && a.request === event.request);
    if (!entry) return;
    entry[1].phase = "failed";
    entry[1].message = String(event.message ?? "the run could not start");
    return repaint(entry[0]);
  }
  if (event.type === "run-start" && event.runId) {
    const run: SeenRun = { runId: event.runId, assets: event.assets ?? [], seq: runsSeen++, events: [], action: null };
    recent.push(run);
    if (recent.length > RECENT_RUNS) recent.shift();
    const waiting = [...actions].find(([, a]) => a.phase === "starting" && a.keys.every((k) => run.assets.includes(k)));
    if (waiting) claim(waiting[0], waiting[1], run);
    return;
  }
  const run = recent.at(-1);
  if (!run) return;
  if (run.events.length < RECENT_EVENTS) run.events.push(event);
  const action = run.action ? actions.get(run.action) : undefined;
  if (action?.runId === run.runId) apply(run.action!, action, event);
}

function claim(id: string, action: Action, run: SeenRun): void {
  run.action = id;
  action.phase = "running";
  action.runId = run.runId;
  for (const event of run.events) apply(id, action, event);
  repaint(id);
}

function apply(id: string, action: Action, event: LiveEvent): void {
  if (event.type === "error" && event.asset && !action.errors.has(event.asset)) {
    action.errors.set(event.asset, errorLine(String(event.errorType), String(event.message ?? "")));
  } else if (event.type === "asset-end" && event.asset && action.keys.includes(event.asset)) {
    const previous = action.results.get(event.asset);
    // A partitioned asset ends once per partition: a failure among them is what it shows.
    if (!previous || previous.status === "materialized") action.results.set(event.asset, { status: event.status ?? "", why: action.errors.get(event.asset) ?? event.reason ?? null });
    repaint(id);
  } else if (event.type === "run-end") {
    const statuses = [...action.results.values()].map((r) => r.status);
    action.phase = statuses.includes("failed") ? "failed" : statuses.includes("interrupted") ? "interrupted" : statuses.includes("skipped") ? "skipped" : event.ok === false && !statuses.length ? "failed" : "ok";
    repaint(id);
  }
}

function repaint(id: string): void {
  const action = actions.get(id);
  for (const span of document.querySelectorAll<HTMLElement>(`.action-status[data-action-id="${CSS.escape(id)}"]`)) paint(span, action);
}

function paint(span: HTMLElement, action: Action | undefined): void {
  span.dataset.phase = action?.phase ?? "";
  span.className = `action-status ${action ? tone(action.phase) : ""}`;
  if (!action) return span.replaceChildren();
  const run = action.runId ? [" · run ", h("a", { href: `#/runs/${action.runId}` }, action.runId.slice(0, 8))] : [];
  if (action.phase === "refused" || (action.phase === "failed" && !action.runId)) return span.replaceChildren(`✖ ${action.message}`);
  const refusal = action.refusal ? [h("span", { class: "action-refusal fail" }, ` · ✖ ${action.refusal}`)] : [];
  if (action.phase === "starting") return span.replaceChildren("● starting…", ...refusal);
  if (action.phase === "running") {
    const done = action.results.size;
    return span.replaceChildren(`● running ${action.keys.join(", ")}${done ? ` (${done}/${action.keys.length} done)` : ""}`, ...run, ...refusal);
  }
  const notOk = [...action.results].filter(([, r]) => r.status !== "materialized");
  if (!notOk.length) return span.replaceChildren(action.phase === "ok" ? `✔ materialized ${action.keys.join(", ")}` : `${stepMark(action.phase).mark} the run ${action.phase}`, ...run);
  const lines = notOk.map(([asset, r]) => `${stepMark(r.status).mark} ${asset} ${r.status}${r.why ? `: ${r.why}` : ""}`);
  span.replaceChildren(lines.join(" · "), ...run);
}

const tone = (phase: Phase) => (phase === "ok" ? "ok" : phase === "failed" || phase === "refused" ? "fail" : phase === "running" || phase === "starting" ? "live" : "warn");
