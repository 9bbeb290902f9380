// The asset graph as an SVG DAG, laid out by dagre (left to right, dependencies first).
import dagre from "@dagrejs/dagre";
import type { Asset } from "./api.js";
import { s } from "./dom.js";

const WIDTH = 230;
const HEIGHT = 66;

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
  svg.append(s("defs", {}, s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto" }, s("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8c959f" }))));
  for (const edge of g.edges()) {
    const points: Array<{ x: number; y: number }> = g.edge(edge).points ?? [];
    const d = points.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
    svg.append(s("path", { class: "edge", d, "marker-end": "url(#arrow)", "data-from": edge.v, "data-to": edge.w }));
  }
  for (const asset of assets) {
    const { x, y } = g.node(asset.key);
    const left = x - WIDTH / 2;
    const top = y - HEIGHT / 2;
    const node = s(
      "g",
      { class: `node ${statusClass(asset)}`, "data-asset": asset.key, transform: `translate(${left.toFixed(1)},${top.toFixed(1)})`, tabindex: 0 },
      s("rect", { width: WIDTH, height: HEIGHT }),
      s("text", { class: "key", x: 10, y: 18 }, clip(asset.key, 30)),
      s("text", { class: "sub", x: 10, y: 35 }, clip(asset.invokes ? `→ ${asset.invokes}${asset.runtime ? ` · ${asset.runtime}` : ""}` : "→ (own run)", 36)),
      s("text", { class: "sub", x: 10, y: 52 }, clip(statusText(asset), 36)),
    );
    node.addEventListener("click", () => open(asset.key));
    node.addEventListener("keydown", (e) => (e as KeyboardEvent).key === "Enter" && open(asset.key));
    svg.append(node);
  }
  return svg;
}

function statusClass(asset: Asset): string {
  const p = asset.status?.partitions;
  if (p) return p.materialized === p.total ? "materialized" : p.failed.length ? "failed" : p.materialized ? "partial" : "never";
  return asset.status?.last ? "materialized" : "never";
}

function statusText(asset: Asset): string {
  const parts: string[] = [];
  if (asset.partitions) parts.push(`${asset.partitions.kind} × ${asset.partitions.count}`);
  const p = asset.status?.partitions;
  if (p) parts.push(`${p.materialized}/${p.total}`);
  const last = asset.status?.last;
  if (last) parts.push(last.dataVersion ? `v ${last.dataVersion}` : `✔ ${last.at.slice(0, 16).replace("T", " ")}`);
  else if (!p) parts.push("never materialized");
  return parts.join(" · ");
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
