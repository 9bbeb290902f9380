// The asset graph as an SVG DAG, laid out by dagre (left to right, dependencies first).
import dagre from "@dagrejs/dagre";
import type { Asset } from "./api.js";
import { s } from "./dom.js";
import { healthSegments } from "./health.js";
import { running, stepMark } from "./outcome.js";

const WIDTH = 250;
const HEIGHT = 84;

export function assetGraph(assets: Asset[], open: (key: string) => void): SVGElement {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 70, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const keys = new Set(assets.map((a) => a.key));
  for (const asset of assets) g.setNode(asset.key, { width: WIDTH, height: HEIGHT });
  for (const asset of assets) for (const dep of asset.deps) if (keys.has(dep)) g.setEdge(dep, asset.key);
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const svg = s("svg", { class: "graph", width: Math.ceil(width), height: Math.ceil(height), viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`, role: "img", "aria-label": "asset graph" });
  const marker = (id: string, fill: string) => s("marker", { id, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto" }, s("path", { d: "M0,0 L10,5 L0,10 z", fill }));
  svg.append(s("defs", {}, marker("arrow", "#8c959f"), marker("arrow-failed", "#cf222e")));
  const byKey = new Map(assets.map((a) => [a.key, a]));
  for (const edge of g.edges()) {
    const points: Array<{ x: number; y: number }> = g.edge(edge).points ?? [];
    const d = points.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
    // What depends on a failed asset waits on it: the edge says so (red and dashed, not colour alone).
    const failed = state(byKey.get(edge.v)!) === "failed";
    svg.append(s("path", { class: failed ? "edge failed" : "edge", d, "marker-end": failed ? "url(#arrow-failed)" : "url(#arrow)", "data-from": edge.v, "data-to": edge.w }));
  }
  for (const asset of assets) {
    const { x, y } = g.node(asset.key);
    const left = x - WIDTH / 2;
    const top = y - HEIGHT / 2;
    const status = state(asset);
    const checks = asset.outcome?.failedChecks ?? [];
    const node = s(
      "g",
      { class: `node ${statusClass(asset)}`, "data-asset": asset.key, "data-outcome": status, transform: `translate(${left.toFixed(1)},${top.toFixed(1)})`, tabindex: 0 },
      s("title", {}, [asset.key, outcomeText(asset), checks.length ? `failed checks: ${checks.join(", ")}` : ""].filter(Boolean).join("\n")),
      s("rect", { width: WIDTH, height: HEIGHT }),
      s("text", { class: "key", x: 10, y: 18 }, clip(asset.key, 32)),
      s("text", { class: "sub", x: 10, y: 35 }, clip(asset.invokes ? `→ ${asset.invokes}${asset.runtime ? ` · ${asset.runtime}` : ""}` : "→ (own run)", 38)),
      s("text", { class: `outcome ${stepMark(status).tone}`, x: 10, y: 52 }, clip(outcomeText(asset), 36)),
      s("text", { class: "sub", x: 10, y: 69 }, clip(checks.length ? `✖ check${checks.length > 1 ? "s" : ""} failed: ${checks.join(", ")}` : partitionText(asset), 38)),
    );
    if (checks.length) node.lastElementChild?.setAttribute("class", "checks fail");
    const bar = healthBar(asset);
    if (bar) node.append(bar);
    node.addEventListener("click", () => open(asset.key));
    node.addEventListener("keydown", (e) => (e as KeyboardEvent).key === "Enter" && open(asset.key));
    svg.append(node);
  }
  return svg;
}

/** The asset's last outcome: running (live), else its last attempt's (materialized, failed, skipped, interrupted), else never. */
function state(asset: Asset): string {
  if (running.has(asset.key)) return "running";
  return asset.outcome?.status ?? (asset.status?.last ? "materialized" : "never");
}

/** The node's class: its state, and for a partitioned asset whose last attempt materialized, whether all have. */
function statusClass(asset: Asset): string {
  const status = state(asset);
  const p = asset.status?.partitions;
  if (status === "materialized" && p && p.materialized < p.total) return "partial";
  return status;
}

function outcomeText(asset: Asset): string {
  const status = state(asset);
  const { mark } = stepMark(status);
  const outcome = asset.outcome;
  if (status === "running") return `${mark} running`;
  if (status === "never") return `${mark} never materialized`;
  if (status === "materialized") {
    const last = asset.status?.last;
    return `${mark} materialized ${(outcome?.at ?? last?.at ?? "").slice(0, 16).replace("T", " ")}`;
  }
  return `${mark} ${status}${outcome?.summary ? `: ${outcome.summary}` : ""}`;
}

/** The node's last line (when no check failed): its partitions, else its data version. */
function partitionText(asset: Asset): string {
  const p = asset.status?.partitions;
  if (asset.partitions) return `${asset.partitions.kind} × ${asset.partitions.count}${p ? ` · ${p.materialized}/${p.total}` : ""}`;
  const version = asset.status?.last?.dataVersion;
  return version ? `data version ${version}` : "";
}

/**
 * A partitioned asset's partitions as one bar along the node's foot: materialized, failed and missing as segments
 * sized by their counts, each with its count in a title (and the group's own), so it reads without colour too.
 */
function healthBar(asset: Asset): SVGElement | null {
  const p = asset.status?.partitions;
  if (!asset.partitions || !p?.total) return null;
  const failed = p.failed;
  const counts = { materialized: p.materialized, failed, missing: p.total - p.materialized - failed };
  const width = WIDTH - 20;
  const bar = s("g", { class: "health", transform: `translate(10,${HEIGHT - 10})`, ...Object.fromEntries(Object.entries(counts).map(([k, n]) => [`data-${k}`, n])) }, s("title", {}, `${counts.materialized} materialized · ${counts.failed} failed · ${counts.missing} missing of ${p.total}`));
  for (const { state, count, x, width: w } of healthSegments(counts, width)) {
    bar.append(s("rect", { class: `segment ${state}`, x: x.toFixed(1), y: 0, width: w.toFixed(1), height: 6 }, s("title", {}, `${count} ${state}`)));
  }
  bar.append(s("rect", { class: "frame", width, height: 6 }));
  return bar;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
