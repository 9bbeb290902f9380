// An asset's page: its latest failure first when its last attempt failed, then its partitions, metadata (the latest
// materialization's, every kind as it reads; numbers plotted by partition or over time), its attempts and its checks,
// a page of each at a time.
import type { Asset, Attempt, Defs } from "./api.js";
import { get } from "./api.js";
import { metadataChart, type Point } from "./chart.js";
import { h, seconds, when } from "./dom.js";
import { metadataList, metadataTable, type MetadataValue } from "./metadata.js";
import { stepMark } from "./outcome.js";
import { pagedTable } from "./pager.js";
import { materializeButton, materializeStatus, runLink, warningsOf } from "./parts.js";
import { errorText } from "./run-model.js";

interface History {
  materializations: Array<{ runId: string; startedAt: string; partition: string | null; dataVersion: string | null; metadata: Record<string, MetadataValue> }>;
  checks: Array<{ runId: string; startedAt: string; partition: string | null; checkName: string; passed: boolean; severity: string }>;
  attempts: Attempt[];
  warnings: string[];
}

export async function assetPage(key: string): Promise<HTMLElement> {
  const [defs, history] = await Promise.all([get<Defs>("/api/defs"), get<History>(`/api/assets/${encodeURIComponent(key)}/history`)]);
  const asset = defs.assets.find((a) => a.key === key);
  // An asset gone since its button was clicked: that click's status says what became of it.
  if (!asset) return h("section", {}, h("h1", {}, key), h("p", { class: "empty" }, "No such asset in the definitions file."), materializeStatus([key]));
  const section = h("section", {}, h("h1", {}, asset.key), asset.description ? h("p", {}, asset.description) : null);
  section.append(h("p", { class: "muted" }, [asset.invokes ? `→ ${asset.invokes}` : "→ (own run)", asset.runtime, asset.partitions ? `${asset.partitions.kind} × ${asset.partitions.count}` : null, asset.deps.length ? `after ${asset.deps.join(", ")}` : null].filter(Boolean).join(" · ")));
  if (defs.canMaterialize) section.append(materializeButton([asset.key]));
  section.append(warningsOf(history.warnings) ?? "");
  const attempts = history.attempts ?? [];
  const last = attempts.at(-1);
  if (last && last.status === "failed") section.append(latestFailure(last));
  if (asset.partitionKeys) section.append(h("h2", {}, "Partitions"), partitionGrid(asset));
  const ms = history.materializations;
  section.append(h("h2", {}, "Materializations"));
  if (!ms.length) {
    section.append(h("p", { class: "empty" }, attempts.length ? `Not materialized in any recorded run yet: ${attempts.length} attempt${attempts.length > 1 ? "s" : ""}, listed below.` : "Not materialized in any recorded run yet."));
  } else {
    const latest = ms.at(-1)!;
    if (Object.keys(latest.metadata).length) section.append(h("h3", {}, `Latest metadata${latest.partition ? ` (partition ${latest.partition})` : ""}`), metadataList(latest.metadata));
    const numeric = [...new Set(ms.flatMap((m) => Object.entries(m.metadata).filter(([, v]) => v.type === "int" || v.type === "float").map(([name]) => name)))];
    if (numeric.length) section.append(h("h3", {}, asset.partitions ? "Plots by partition" : "Plots over time"));
    for (const name of numeric) {
      section.append(asset.partitions ? metadataChart(name, byPartition(ms, name, asset.partitionKeys ?? []), "partition", asset.partitionKeys ?? []) : metadataChart(name, overTime(ms, name), "time"));
    }
    // A table an older materialization reported, when the latest one (shown above) has none.
    if (!Object.values(latest.metadata).some((v) => v.type === "table")) {
      const lastTable = [...ms].reverse().flatMap((m) => Object.entries(m.metadata).filter(([, v]) => v.type === "table").map(([name, v]) => ({ name, v })))[0];
      if (lastTable) section.append(h("h2", {}, `Last table: ${lastTable.name}`), metadataTable(lastTable.v));
    }
  }
  if (attempts.length) {
    const newest = [...attempts].reverse();
    section.append(
      h("h2", {}, `History (${attempts.length})`),
      pagedTable(`${asset.key}\0attempts`, ["", "run", "ended (UTC)", "partition", "outcome", "duration", "data version"], newest.length, (i) => {
        const a = newest[i]!;
        const { mark, tone } = stepMark(a.status);
        const why = a.error ? a.error.headline : a.status === "materialized" ? "" : (a.reason ?? "");
        return [h("span", { class: tone, title: a.status }, mark), runLink(a.runId), when(a.endedAt), a.partition ?? "", why ? `${a.status}: ${why}` : a.status, seconds(a.durationMs), a.dataVersion ?? ""];
      }, "attempts"),
    );
  }
  if (history.checks.length) {
    const newest = [...history.checks].reverse();
    section.append(
      h("h2", {}, "Checks"),
      pagedTable(`${asset.key}\0checks`, ["run", "partition", "check", "result"], newest.length, (i) => {
        const c = newest[i]!;
        return [runLink(c.runId), c.partition ?? "", c.checkName, h("span", { class: c.passed ? "ok" : c.severity === "WARN" ? "warn" : "fail" }, c.passed ? "passed" : `failed (${c.severity})`)];
      }, "checks"),
    );
  }
  return section;
}

/** The latest failure, as the user needs it: the error, its stack (already at the user's files), what was logged before. */
function latestFailure(attempt: Attempt): HTMLElement {
  const box = h("div", { class: "failure", "data-run": attempt.runId });
  box.append(h("h2", {}, "✖ Latest failure"), h("p", {}, "Failed in run ", runLink(attempt.runId), ` · ${when(attempt.endedAt)} UTC${attempt.partition ? ` · partition ${attempt.partition}` : ""} · ${seconds(attempt.durationMs)}`));
  if (attempt.error) {
    const { errorType, message, trace } = attempt.error;
    const head = errorText(errorType, message);
    // A recorded trace may begin with the message's own lines again: shown once.
    const said = new Set(head.split("\n").map((l) => l.trim()));
    let first = 0;
    while (first < trace.length && said.has(trace[first]!.trim())) first++;
    const frames = trace.slice(first);
    box.append(h("pre", { class: "error" }, h("strong", {}, head), frames.length ? `\n${frames.map((l) => `    ${l.trim()}`).join("\n")}` : ""));
  } else if (attempt.reason) box.append(h("pre", { class: "error" }, attempt.reason));
  if (attempt.failedChecks.length) box.append(h("p", { class: "fail" }, `✖ failed checks: ${attempt.failedChecks.join(", ")}`));
  if (attempt.logs.length) box.append(h("h3", {}, "Logged before it"), h("pre", { class: "log" }, attempt.logs.join("\n")));
  return box;
}

function partitionGrid(asset: Asset): HTMLElement {
  const p = asset.status?.partitions;
  const missing = new Set(p?.gridMissing ?? asset.partitionKeys ?? []);
  const failed = new Set(p?.gridFailed ?? []);
  const cells = (asset.partitionKeys ?? []).map((k) => {
    const state = failed.has(k) ? "failed" : missing.has(k) ? "missing" : "materialized";
    return h("span", { class: `cell ${state}`, title: `${k}: ${state}`, "data-partition": k, "data-state": state });
  });
  return h("div", {}, h("p", { class: "muted" }, `${p?.materialized ?? 0}/${p?.total ?? cells.length} materialized`), h("div", { class: "grid" }, ...cells));
}

type Materialization = History["materializations"][number];

/** The latest value of each partition, in the definition's key order (keys past the grid's, by key). */
function byPartition(ms: Materialization[], name: string, keys: string[]): Point[] {
  const latest = new Map<string, Point>();
  for (const m of ms) {
    const value = m.metadata[name]?.value;
    if (m.partition !== null && typeof value === "number") latest.set(m.partition, { key: m.partition, value, runId: m.runId });
  }
  const order = new Map(keys.map((k, i) => [k, i]));
  const rank = (k: string) => order.get(k) ?? Number.MAX_SAFE_INTEGER;
  return [...latest.values()].sort((a, b) => rank(a.key) - rank(b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One point per materialization, at its run's start. */
function overTime(ms: Materialization[], name: string): Point[] {
  const points = ms.flatMap((m) => (typeof m.metadata[name]?.value === "number" ? [{ key: m.startedAt, value: m.metadata[name]!.value as number, runId: m.runId }] : []));
  return points.sort((a, b) => Date.parse(a.key) - Date.parse(b.key));
}
