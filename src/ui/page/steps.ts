// A run's steps, a page of PAGE at a time, filtered by outcome, asset and text (the label, the error): a run of
// 10,000 steps is one screen, and its one failed step is a choice away. A step opens to its log.
import { h, seconds } from "./dom.js";
import { logLines } from "./events.js";
import { logView } from "./logs.js";
import { stepMark } from "./outcome.js";
import type { Step } from "./run-model.js";

export const PAGE = 25;
const OUTCOMES = ["failed", "interrupted", "skipped", "materialized", "running"];

export interface StepFilter {
  status: string;
  asset: string;
  text: string;
  page: number;
}

export const noFilter = (): StepFilter => ({ status: "all", asset: "all", text: "", page: 0 });

export interface StepsView {
  element: HTMLElement;
  /** Shows a step (on its page, the filters cleared if they hide it) with its log open. */
  show(label: string): void;
}

/** `filter` is the caller's: changes are made in it, so they outlive a re-render of the page. */
export function stepsView(steps: Step[], filter: StepFilter): StepsView {
  const count = (status: string) => steps.filter((s) => s.status === status).length;
  const status = h("select", { name: "status", "aria-label": "outcome" }, h("option", { value: "all" }, `all (${steps.length.toLocaleString("en")})`), ...OUTCOMES.filter(count).map((o) => h("option", { value: o }, `${stepMark(o).mark} ${o} only (${count(o).toLocaleString("en")})`)));
  const assets = [...new Set(steps.map((s) => s.asset))];
  const asset = h("select", { name: "asset", "aria-label": "asset" }, h("option", { value: "all" }, "all assets"), ...assets.map((a) => h("option", { value: a }, a)));
  const text = h("input", { type: "search", name: "step-text", placeholder: "partition, step or error", "aria-label": "step text", size: "28" });
  const list = h("div", { class: "steps" });
  const prev = h("button", { type: "button", "data-action": "previous" }, "‹ Previous");
  const next = h("button", { type: "button", "data-action": "next" }, "Next ›");
  const where = h("span", { class: "page-of" });
  let shown: Step[] = [];

  const matches = () => {
    const needle = filter.text.trim().toLowerCase();
    return steps.filter((s) => (filter.status === "all" || s.status === filter.status) && (filter.asset === "all" || s.asset === filter.asset) && (!needle || `${s.label} ${s.status} ${s.problem}`.toLowerCase().includes(needle)));
  };
  const render = () => {
    shown = matches();
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    filter.page = Math.min(Math.max(0, filter.page), pages - 1);
    const first = filter.page * PAGE;
    list.replaceChildren(...shown.slice(first, first + PAGE).map(stepRow));
    if (!shown.length) list.append(h("p", { class: "empty" }, "No step matches these filters."));
    where.textContent = shown.length ? `${(first + 1).toLocaleString("en")}–${Math.min(first + PAGE, shown.length).toLocaleString("en")} of ${shown.length.toLocaleString("en")} steps${shown.length < steps.length ? ` (${steps.length.toLocaleString("en")} in all)` : ""} · page ${filter.page + 1} of ${pages}` : `0 of ${steps.length.toLocaleString("en")} steps`;
    prev.toggleAttribute("disabled", filter.page === 0);
    next.toggleAttribute("disabled", filter.page >= pages - 1);
  };
  const controls = () => {
    status.value = filter.status;
    asset.value = filter.asset;
    text.value = filter.text;
  };
  status.addEventListener("change", () => {
    filter.status = status.value;
    filter.page = 0;
    render();
  });
  asset.addEventListener("change", () => {
    filter.asset = asset.value;
    filter.page = 0;
    render();
  });
  text.addEventListener("input", () => {
    filter.text = text.value;
    filter.page = 0;
    render();
  });
  prev.addEventListener("click", () => {
    filter.page--;
    render();
  });
  next.addEventListener("click", () => {
    filter.page++;
    render();
  });
  controls();
  render();

  const show = (label: string) => {
    let at = shown.findIndex((s) => s.label === label);
    if (at < 0) {
      Object.assign(filter, noFilter());
      controls();
      render();
      at = shown.findIndex((s) => s.label === label);
    }
    filter.page = Math.floor(Math.max(0, at) / PAGE);
    render();
    const details = list.querySelector<HTMLDetailsElement>(`details[data-step="${CSS.escape(label)}"]`);
    if (!details) return;
    fill(details, steps.find((s) => s.label === label)!);
    details.open = true;
    details.scrollIntoView({ block: "nearest" });
  };

  const pager = h("p", { class: "pager" }, prev, " ", where, " ", next);
  const filters = h("p", { class: "filters" }, h("label", {}, "Outcome ", status), " ", assets.length > 1 ? h("label", {}, "Asset ", asset) : null, " ", h("label", {}, "Text ", text));
  return { element: h("div", { class: "steps-view" }, filters, list, pager), show };
}

function stepRow(step: Step): HTMLElement {
  const { mark, tone } = stepMark(step.status);
  const summary = h(
    "summary",
    {},
    h("span", { class: `mark ${tone}`, title: step.status }, mark),
    " ",
    h("span", { class: "step-label" }, step.label),
    h("span", { class: "muted" }, ` · ${step.status}${step.durationMs !== null ? ` · ${seconds(step.durationMs)}` : ""}`),
    step.problem ? h("span", { class: `problem ${tone}` }, ` · ${step.problem}`) : null,
  );
  const details = h("details", { "data-step": step.label, "data-status": step.status }, summary);
  // The log is built when the step is opened: a page of 25 steps stays 25 lines until then.
  details.addEventListener("toggle", () => details.open && fill(details, step));
  return details;
}

function fill(details: HTMLDetailsElement, step: Step): void {
  if (details.querySelector(".log-view")) return;
  details.append(logView(logLines(step.events)));
}
