// A run's page: what it was (when, profile, outcome as `pipes runs` marks it, cost), the run it retried and the
// runs that retried it, its timeline, its steps (filtered, paged) and its log (filtered by level).
import { formatUsd } from "../../lambda/pricing.js";
import type { RunEvent, RunSummary } from "./api.js";
import { get } from "./api.js";
import { h, seconds, when } from "./dom.js";
import { logLines } from "./events.js";
import { logView } from "./logs.js";
import { runMark } from "./outcome.js";
import { runLink, warningsOf } from "./parts.js";
import { bars, stepsOf } from "./run-model.js";
import { noFilter, type StepFilter, stepsView } from "./steps.js";
import { timeline } from "./timeline.js";

/** The steps' filters of the run last shown: a re-render (a new run elsewhere, the live stream) keeps them. */
let kept: { runId: string; filter: StepFilter } | null = null;

export async function runPage(id: string): Promise<HTMLElement> {
  // The runs list says which runs retried this one (read beside the events); without it the page still shows the run.
  const listed = get<{ runs: RunSummary[] }>("/api/runs").then((r) => r.runs, () => [] as RunSummary[]);
  let view: { events: RunEvent[]; cut: boolean; warnings: string[] };
  try {
    view = await get(`/api/runs/${encodeURIComponent(id)}/events`);
  } catch {
    return h("section", {}, h("h1", {}, `Run ${id}`), h("p", { class: "empty" }, "No such run in the history."));
  }
  const runs = await listed;
  const { events } = view;
  const start = events.find((e) => e.type === "run-start");
  const end = events.find((e) => e.type === "run-end");
  const runId: string = start?.runId ?? id;
  const section = h("section", {}, h("h1", {}, `Run ${runId}`), warningsOf(view.warnings) ?? "");
  if (start?.retryOf) section.append(h("p", { class: "muted retry-of" }, "A retry of run ", runLink(start.retryOf), ": what failed or was skipped there."));
  const retries = runs.filter((r) => r.retryOf === runId).reverse();
  if (retries.length) section.append(h("p", { class: "muted retried-by" }, "Retried by run ", ...retries.flatMap((r, i) => [i ? ", " : "", runLink(r.runId), ` (${runMark(r.outcome).mark} ${r.outcome})`]), "."));
  section.append(headline(start, end, runs.find((r) => r.runId === runId)));

  const steps = stepsOf(events);
  if (!kept || kept.runId !== runId) kept = { runId, filter: noFilter() };
  const stepList = stepsView(steps, kept.filter);
  const list = bars(events);
  section.append(h("h2", {}, "Timeline"), list.length ? timeline(list, steps, stepList.show) : h("p", { class: "empty" }, steps.length ? "No invocation was made." : "No invocations."));
  section.append(h("h2", {}, "Steps"), steps.length ? stepList.element : h("p", { class: "empty" }, "No steps."));
  section.append(h("h2", {}, "Logs"), logView(logLines(events), { whole: true }));
  return section;
}

/** When, profile, the outcome with `pipes runs`' symbol, duration and cost. */
function headline(start: RunEvent | undefined, end: RunEvent | undefined, summary: RunSummary | undefined): HTMLElement {
  const outcome = summary?.outcome ?? (!end ? "unfinished" : end.ok ? "ok" : end.counts?.interrupted ? "interrupted" : "failed");
  const { mark, tone } = runMark(outcome);
  const facts = [start ? when(start.startedAt) : "", start ? `profile ${start.profile}` : "", end ? seconds(end.durationMs) : "", end?.costUsd ? `${formatUsd(end.costUsd)}${end.target === "emulator" ? " on Lambda" : ""}` : ""].filter(Boolean);
  return h("p", { class: "muted run-headline" }, h("span", { class: `outcome ${tone}`, "data-outcome": outcome }, `${mark} ${outcome}`), facts.length ? ` · ${facts.join(" · ")}` : "");
}
