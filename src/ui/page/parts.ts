// Pieces the pages share: links, tables, warnings, the Materialize buttons of `pipes dev --ui`.
import { actionStatus, clicked, refused, started } from "./action.js";
import { materialize } from "./api.js";
import { h } from "./dom.js";

export const go = (path: string) => {
  location.hash = path;
};
export const warningsOf = (warnings: string[]) => (warnings.length ? h("ul", { class: "warnings" }, ...warnings.map((w) => h("li", {}, `⚠ ${w}`))) : null);

const materializeId = (assets: string[]) => `materialize ${assets.join(" ")}`;

export function materializeButton(assets: string[]): HTMLElement {
  return runButton("Materialize", "materialize", () => assets, materializeId(assets));
}

/** The status of `assets`' Materialize button, where the button is no more (the asset left the definitions). */
export const materializeStatus = (assets: string[]): HTMLElement => h("p", {}, actionStatus(materializeId(assets)));

/** A selection to materialize, as `pipes materialize` takes it: `raw_orders`, `+clean_orders`, `tag:layer=raw`. */
export function selectionForm(): HTMLElement {
  const input = h("input", { type: "text", name: "selection", placeholder: "+clean_orders tag:layer=raw", "aria-label": "selection", size: "40" });
  const form = runButton("Materialize selection", "materialize-selection", () => input.value.trim().split(/\s+/).filter(Boolean), "selection");
  form.prepend(input, " ");
  return form;
}

/** A button that starts a run of what `selection` gives (nothing when it is empty); action.ts says how it goes. */
function runButton(label: string, action: string, selection: () => string[], id: string): HTMLElement {
  const button = h("button", { type: "button", "data-action": action }, label);
  button.addEventListener("click", async () => {
    const assets = selection();
    if (!assets.length) return;
    button.setAttribute("disabled", "");
    const mark = clicked();
    try {
      const answer = await materialize(assets);
      started(id, answer.started, mark, answer.request);
    } catch (error) {
      refused(id, (error as Error).message);
    } finally {
      button.removeAttribute("disabled");
    }
  });
  return h("p", {}, button, " ", actionStatus(id));
}

export function runLink(runId: string): HTMLElement {
  return h("a", { href: `#/runs/${runId}` }, runId.slice(0, 8));
}

/** `rowAttrs(i)`: attributes of the i-th row (e.g. what a filter matches on). */
export function table(head: string[], rows: Array<Array<Node | string>>, cls?: string, rowAttrs: (i: number) => Record<string, string> = () => ({})): HTMLElement {
  return h("table", { class: cls }, h("thead", {}, h("tr", {}, ...head.map((c) => h("th", {}, c)))), h("tbody", {}, ...rows.map((r, i) => h("tr", rowAttrs(i), ...r.map((c) => h("td", {}, c))))));
}

export const format = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
