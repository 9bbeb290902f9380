// The pages: assets (the graph), the runs (an asset's page is asset.ts, a run's run.ts).
import type { Defs, RunSummary } from "./api.js";
import { get } from "./api.js";
import { formatUsd } from "../../lambda/pricing.js";
import { h, seconds, when } from "./dom.js";
import { assetGraph } from "./graph.js";
import { RUN_OUTCOMES, runMark } from "./outcome.js";
import { go, runLink, selectionForm, table, warningsOf } from "./parts.js";

export { assetPage } from "./asset.js";
export { runPage } from "./run.js";

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

export async function runsPage(): Promise<HTMLElement> {
  const { runs, warnings } = await get<{ runs: RunSummary[]; warnings: string[] }>("/api/runs");
  const section = h("section", {}, h("h1", {}, "Runs"), warningsOf(warnings) ?? "");
  if (!runs.length) {
    section.append(h("p", { class: "empty" }, "No runs recorded yet: pipes materialize records each run in .pipes/runs."));
    return section;
  }
  const counts = (r: RunSummary) => Object.entries(r.counts).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(", ");
  const rows = table(
    ["", "run", "started (UTC)", "profile", "assets", "partitions", "outcome", "duration", "cost"],
    runs.map((r) => {
      const { mark, tone } = runMark(r.outcome);
      return [h("span", { class: tone, title: r.outcome }, mark), r.retryOf ? h("span", {}, runLink(r.runId), h("span", { class: "muted" }, " retry of "), runLink(r.retryOf)) : runLink(r.runId), when(r.startedAt), r.profile, r.assets.join(", "), r.partitions ?? "", counts(r) || r.outcome, seconds(r.durationMs), r.costUsd ? formatUsd(r.costUsd) : ""];
    }),
    "runs",
    (i) => ({ "data-outcome": runs[i]!.outcome }),
  );
  section.append(outcomeFilter(runs, rows), rows);
  return section;
}

/** The runs list's outcome filter; the choice outlives the page's re-renders (a new run, the live stream). */
let shownOutcome = "all";

function outcomeFilter(runs: RunSummary[], rows: HTMLElement): HTMLElement {
  const count = (o: string) => runs.filter((r) => r.outcome === o).length;
  const select = h("select", { name: "outcome", "aria-label": "outcome" }, h("option", { value: "all" }, `all (${runs.length})`), ...RUN_OUTCOMES.map((o) => h("option", { value: o }, `${runMark(o).mark} ${o} (${count(o)})`)));
  const apply = () => {
    shownOutcome = select.value;
    for (const tr of rows.querySelectorAll<HTMLElement>("tbody tr")) tr.hidden = shownOutcome !== "all" && tr.dataset.outcome !== shownOutcome;
  };
  select.value = shownOutcome;
  select.addEventListener("change", apply);
  apply();
  return h("p", {}, h("label", {}, "Outcome ", select));
}
