// Numeric metadata across materializations, one point per materialization, drawn by uPlot.
import uPlot from "uplot";
import { h } from "./dom.js";

export function metadataChart(name: string, values: Array<number | null>, labels: string[]): HTMLElement {
  const box = h("div", { class: "chart", "data-metadata": name, "data-points": String(values.filter((v) => v !== null).length) }, h("div", { class: "muted" }, name));
  const xs = values.map((_, i) => i + 1);
  const options: uPlot.Options = {
    width: 600,
    height: 180,
    scales: { x: { time: false } },
    axes: [{ values: (_u, ticks) => ticks.map((t) => labels[t - 1] ?? "") }, {}],
    series: [{ label: "run" }, { label: name, stroke: "#0969da", points: { show: true, size: 6 } }],
    legend: { show: false },
  };
  // uPlot measures its container: draw once the box is in the page.
  requestAnimationFrame(() => new uPlot(options, [xs, values], box));
  return box;
}
