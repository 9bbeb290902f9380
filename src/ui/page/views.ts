// The pages: assets (the graph), an asset, the runs, a run.
import type { Asset, Defs, RunEvent, RunSummary } from "./api.js";
import { get, materialize } from "./api.js";
import { metadataChart } from "./chart.js";
import { formatUsd } from "../../lambda/pricing.js";
import { h, seconds, when } from "./dom.js";
import { stepDetails } from "./events.js";
import { assetGraph } from "./graph.js";
import { bars, timeline } from "./timeline.js";

const go = (path: string) => {
  location.hash = path;
};
const warningsOf = (warnings: string[]) => (warnings.length ? h("ul", { class: "warnings" }, ...warnings.map((w) => h("li", {}, `⚠ ${w}`))) : null);

export async function assetsPage(): Promise<HTMLElement> {
  const defs = await get<Defs>("/api/defs");
  return h(
    "section",
    {},
    h("h1", {}, "Assets"),
    h("p", { class: "muted" }, `${defs.file} · profile ${defs.profile} · ${defs.assets.length} assets`),
    warningsOf(defs.warnings),
    defs.canMaterialize ? selectionForm() : null,
    defs.assets.length ? assetGraph(defs.assets, (key) => go(`/asset/${encodeURIComponent(key)}`)) : h("p", { class: "empty" }, "No assets in the definitions file."),
  );
}

interface History {
  materializations: Array<{ runId: string; startedAt: string; partition: string | null; dataVersion: string | null; metadata: Record<string, { type: string; value?: unknown; records?: Array<Record<string, unknown>>; columns?: Array<{ name: string }> }> }>;
  checks: Array<{ runId: string; startedAt: string; partition: string | null; checkName: string; passed: boolean; severity: string }>;
  warnings: string[];
}

export async function assetPage(key: string): Promise<HTMLElement> {
  const [defs, history] = await Promise.all([get<Defs>("/api/defs"), get<History>(`/api/assets/${encodeURIComponent(key)}/history`)]);
  const asset = defs.assets.find((a) => a.key === key);
  if (!asset) return h("section", {}, h("h1", {}, key), h("p", { class: "empty" }, "No such asset in the definitions file."));
  const section = h("section", {}, h("h1", {}, asset.key), asset.description ? h("p", {}, asset.description) : null);
  section.append(h("p", { class: "muted" }, [asset.invokes ? `→ ${asset.invokes}` : "→ (own run)", asset.runtime, asset.partitions ? `${asset.partitions.kind} × ${asset.partitions.count}` : null, asset.deps.length ? `after ${asset.deps.join(", ")}` : null].filter(Boolean).join(" · ")));
  if (defs.canMaterialize) section.append(materializeButton([asset.key]));
  section.append(warningsOf(history.warnings) ?? "");
  if (asset.partitionKeys) section.append(h("h2", {}, "Partitions"), partitionGrid(asset));
  const ms = history.materializations;
  section.append(h("h2", {}, "Materializations"));
  if (!ms.length) section.append(h("p", { class: "empty" }, "Not materialized in any recorded run yet."));
  else {
    const numeric = [...new Set(ms.flatMap((m) => Object.entries(m.metadata).filter(([, v]) => v.type === "int" || v.type === "float").map(([name]) => name)))];
    for (const name of numeric) {
      const values = ms.map((m) => (typeof m.metadata[name]?.value === "number" ? (m.metadata[name]!.value as number) : null));
      section.append(metadataChart(name, values, ms.map((m) => m.runId.slice(0, 8))));
    }
    const lastTable = [...ms].reverse().flatMap((m) => Object.entries(m.metadata).filter(([, v]) => v.type === "table").map(([name, v]) => ({ name, v })))[0];
    if (lastTable) section.append(h("h2", {}, `Last table: ${lastTable.name}`), metadataTable(lastTable.v));
    section.append(
      h("h2", {}, `History (${ms.length})`),
      table(
        ["run", "started", "partition", "data version"],
        [...ms].reverse().slice(0, 200).map((m) => [runLink(m.runId), when(m.startedAt), m.partition ?? "", m.dataVersion ?? ""]),
      ),
    );
  }
  if (history.checks.length) {
    section.append(h("h2", {}, "Checks"), table(["run", "partition", "check", "result"], [...history.checks].reverse().slice(0, 200).map((c) => [runLink(c.runId), c.partition ?? "", c.checkName, h("span", { class: c.passed ? "ok" : c.severity === "WARN" ? "warn" : "fail" }, c.passed ? "passed" : `failed (${c.severity})`)])));
  }
  return section;
}

function partitionGrid(asset: Asset): HTMLElement {
  const p = asset.status?.partitions;
  const missing = new Set(p?.missing ?? asset.partitionKeys ?? []);
  const failed = new Set(p?.failed ?? []);
  const cells = (asset.partitionKeys ?? []).map((k) => {
    const state = failed.has(k) ? "failed" : missing.has(k) ? "missing" : "materialized";
    return h("span", { class: `cell ${state}`, title: `${k}: ${state}`, "data-partition": k, "data-state": state });
  });
  return h("div", {}, h("p", { class: "muted" }, `${p?.materialized ?? 0}/${p?.total ?? cells.length} materialized`), h("div", { class: "grid" }, ...cells));
}

function metadataTable(value: { records?: Array<Record<string, unknown>>; columns?: Array<{ name: string }> }): HTMLElement {
  const records = value.records ?? [];
  const columns = value.columns?.map((c) => c.name) ?? [...new Set(records.flatMap((r) => Object.keys(r)))];
  return h("table", { class: "metadata-table" }, h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", {}, c)))), h("tbody", {}, ...records.slice(0, 500).map((r) => h("tr", {}, ...columns.map((c) => h("td", {}, format(r[c])))))));
}

export async function runsPage(): Promise<HTMLElement> {
  const { runs, warnings } = await get<{ runs: RunSummary[]; warnings: string[] }>("/api/runs");
  const section = h("section", {}, h("h1", {}, "Runs"), warningsOf(warnings) ?? "");
  if (!runs.length) {
    section.append(h("p", { class: "empty" }, "No runs recorded yet: pipes materialize records each run in .pipes/runs."));
    return section;
  }
  const counts = (r: RunSummary) => Object.entries(r.counts).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(", ");
  section.append(
    table(
      ["", "run", "started (UTC)", "profile", "assets", "partitions", "outcome", "duration", "cost"],
      runs.map((r) => [h("span", { class: r.outcome === "ok" ? "ok" : r.outcome === "failed" ? "fail" : "warn" }, r.outcome === "ok" ? "✔" : r.outcome === "failed" ? "✖" : "…"), r.retryOf ? h("span", {}, runLink(r.runId), h("span", { class: "muted" }, " retry of "), runLink(r.retryOf)) : runLink(r.runId), when(r.startedAt), r.profile, r.assets.join(", "), r.partitions ?? "", counts(r), seconds(r.durationMs), r.costUsd ? formatUsd(r.costUsd) : ""]),
    ),
  );
  return section;
}

export async function runPage(id: string): Promise<HTMLElement> {
  let view: { events: RunEvent[]; cut: boolean; warnings: string[] };
  try {
    view = await get(`/api/runs/${encodeURIComponent(id)}/events`);
  } catch {
    return h("section", {}, h("h1", {}, `Run ${id}`), h("p", { class: "empty" }, "No such run in the history."));
  }
  const { events } = view;
  const start = events.find((e) => e.type === "run-start");
  const end = events.find((e) => e.type === "run-end");
  const section = h("section", {}, h("h1", {}, `Run ${start?.runId ?? id}`), warningsOf(view.warnings) ?? "");
  if (start?.retryOf) section.append(h("p", { class: "muted" }, "A retry of run ", runLink(start.retryOf), ": what failed or was skipped there."));
  section.append(h("p", { class: "muted" }, [start ? when(start.startedAt) : "", start ? `profile ${start.profile}` : "", end ? `${end.ok ? "✔" : "✖"} ${seconds(end.durationMs)}` : "unfinished", end?.costUsd ? `${formatUsd(end.costUsd)}${end.target === "emulator" ? " on Lambda" : ""}` : ""].filter(Boolean).join(" · ")));
  const steps = new Map<string, RunEvent[]>();
  for (const e of events) if (e.asset) steps.set(e.partition ? `${e.asset}[${e.partition}]` : e.asset, [...(steps.get(e.partition ? `${e.asset}[${e.partition}]` : e.asset) ?? []), e]);
  const list = bars(events);
  const details = h("div", { class: "steps" });
  const open = (step: string) => {
    const el = details.querySelector<HTMLDetailsElement>(`details[data-step="${CSS.escape(step)}"]`);
    if (el) {
      el.open = true;
      el.scrollIntoView({ block: "nearest" });
    }
  };
  section.append(h("h2", {}, "Timeline"), list.length ? timeline(list, open) : h("p", { class: "empty" }, "No invocations."));
  section.append(h("h2", {}, "Steps"), details);
  for (const [step, stepEvents] of steps) {
    const endEvent = stepEvents.find((e) => e.type === "asset-end");
    const mark = endEvent?.status === "materialized" ? "✔" : endEvent?.status === "failed" ? "✖" : endEvent ? "↷" : "…";
    details.append(h("details", { "data-step": step }, h("summary", {}, `${mark} ${step} ${endEvent ? `· ${endEvent.status} · ${seconds(endEvent.durationMs)}` : ""}`), stepDetails(stepEvents)));
  }
  return section;
}

function materializeButton(assets: string[]): HTMLElement {
  return runButton("Materialize", "materialize", () => assets);
}

/** A selection to materialize, as `pipes materialize` takes it: `raw_orders`, `+clean_orders`, `tag:layer=raw`. */
function selectionForm(): HTMLElement {
  const input = h("input", { type: "text", name: "selection", placeholder: "+clean_orders tag:layer=raw", "aria-label": "selection", size: "40" });
  const form = runButton("Materialize selection", "materialize-selection", () => input.value.trim().split(/\s+/).filter(Boolean));
  form.prepend(input, " ");
  return form;
}

/** A button that starts a run of what `selection` gives (nothing when it is empty) and says how that went. */
function runButton(label: string, action: string, selection: () => string[]): HTMLElement {
  const status = h("span", { class: "muted" });
  const button = h("button", { type: "button", "data-action": action }, label);
  button.addEventListener("click", async () => {
    const assets = selection();
    if (!assets.length) return;
    button.setAttribute("disabled", "");
    status.textContent = " started…";
    try {
      await materialize(assets);
    } catch (error) {
      status.textContent = ` ${(error as Error).message}`;
    } finally {
      button.removeAttribute("disabled");
    }
  });
  return h("p", {}, button, status);
}

function runLink(runId: string): HTMLElement {
  return h("a", { href: `#/runs/${runId}` }, runId.slice(0, 8));
}

function table(head: string[], rows: Array<Array<Node | string>>): HTMLElement {
  return h("table", {}, h("thead", {}, h("tr", {}, ...head.map((c) => h("th", {}, c)))), h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))));
}

const format = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
