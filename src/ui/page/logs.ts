// A log view: lines filtered by level (this level and above, as Dagster's event log does), and for the whole run
// by text too. A run of 10,000 steps has more lines than a page should hold: the view shows at most MAX_LINES of
// those that match and says how many there are.
import { h } from "./dom.js";
import { LEVELS, type LogLine, rank } from "./events.js";

const MAX_LINES = 500;

export interface LogOptions {
  /** The run's log names each line's step and has a text filter; a step's log does not need either. */
  whole?: boolean;
}

export function logView(lines: LogLine[], options: LogOptions = {}): HTMLElement {
  const level = h("select", { name: "level", "aria-label": "level" }, ...LEVELS.slice(0, 4).map((l, i) => h("option", { value: l }, i === 0 ? "all levels" : l === "ERROR" ? "errors" : `${l.toLowerCase()} and above`)));
  const text = options.whole ? h("input", { type: "search", name: "log-text", placeholder: "text", "aria-label": "log text", size: "24" }) : null;
  const pre = h("pre", { class: "log" });
  const count = h("span", { class: "muted" });
  const render = () => {
    const least = rank(level.value);
    const needle = text?.value.trim().toLowerCase() ?? "";
    const shown = lines.filter((l) => rank(l.level) >= least && (!needle || l.text.toLowerCase().includes(needle) || l.step?.toLowerCase().includes(needle)));
    pre.replaceChildren(
      ...shown.slice(0, MAX_LINES).map((l) => h("span", { class: `line level-${l.level.toLowerCase()}`, "data-level": l.level }, `${l.level.padEnd(8)} ${options.whole && l.step ? `${l.step}  ` : ""}${l.text}\n`)),
    );
    count.textContent = shown.length > MAX_LINES ? ` the first ${MAX_LINES} of ${shown.length.toLocaleString("en")} lines: narrow them with the filters` : ` ${shown.length.toLocaleString("en")} of ${lines.length.toLocaleString("en")} lines`;
    if (!lines.length) count.textContent = " nothing logged";
  };
  level.addEventListener("change", render);
  text?.addEventListener("input", render);
  render();
  return h("div", { class: "log-view" }, h("p", { class: "filters" }, h("label", {}, "Level ", level), text ? " " : null, text ? h("label", {}, "Text ", text) : null, count), pre);
}
