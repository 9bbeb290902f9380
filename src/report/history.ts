/** `pipes runs` and `pipes status` as text (their `--json` is the rows themselves). */
import type { RunSummary } from "../history/read.js";
import { briefKeys, type StatusRow } from "../history/status.js";
import type { Output } from "./output.js";
import { formatUsd } from "../facts/pricing.js";

export function renderRuns(runs: RunSummary[], output: Output, dir: string): string {
  const c = output.color;
  if (runs.length === 0) return `No runs recorded in ${dir} yet: pipes materialize records each run there.\n`;
  const rows = runs.map((r) => {
    const counts = [
      r.counts.materialized ? c.green(`${r.counts.materialized} ok`) : "",
      r.counts.failed ? c.red(`${r.counts.failed} failed`) : "",
      r.counts.skipped ? c.yellow(`${r.counts.skipped} skipped`) : "",
      r.counts.interrupted ? c.yellow(`${r.counts.interrupted} interrupted`) : "",
      checksCell(r, output),
    ].filter(Boolean);
    const outcome = r.outcome === "ok" ? c.green("✔") : r.outcome === "unfinished" ? c.yellow("…") : r.outcome === "interrupted" ? c.yellow("⊘") : c.red("✖");
    const assets = r.assets.length > 3 ? `${r.assets.slice(0, 3).join(", ")} +${r.assets.length - 3}` : r.assets.join(", ");
    return [
      `${outcome} ${r.runId.slice(0, 8)}${r.retryOf ? c.dim(` retry of ${r.retryOf.slice(0, 8)}`) : ""}`,
      r.startedAt.replace("T", " ").slice(0, 19),
      r.profile,
      assets,
      r.partitions ?? "",
      counts.join(", ") || (r.outcome === "unfinished" ? c.yellow("unfinished") : "nothing ran"),
      r.durationMs === null ? "" : `${(r.durationMs / 1000).toFixed(1)} s`,
      r.costUsd ? c.dim(formatUsd(r.costUsd)) : "",
    ];
  });
  const header = ["  run", "started (UTC)", "profile", "assets", "partitions", "outcome", "duration", "cost"];
  return table([header.map((h) => c.dim(h)), ...rows]);
}

/** `checks 3✔ 1✖`: passed, and failed of any severity or not reported; nothing when no check ran. */
function checksCell(r: RunSummary, output: Output): string {
  const c = output.color;
  const { passed, failedError, failedWarn, notReported } = r.checks;
  const failed = failedError + failedWarn + notReported;
  if (passed + failed === 0) return "";
  return `checks ${c.green(`${passed}✔`)}${failed ? ` ${(failedError + notReported ? c.red : c.yellow)(`${failed}✖`)}` : ""}`;
}

export function renderStatus(rows: StatusRow[], order: Map<string, string[]>, output: Output): string {
  const c = output.color;
  const lines = rows.map((row) => {
    // A partitioned asset's last materialization is one partition's: its version is that partition's, so say which.
    const last = row.last
      ? `${row.last.at.replace("T", " ").slice(0, 19)} · run ${row.last.runId.slice(0, 8)}${row.last.partition !== null ? ` · partition ${row.last.partition}` : ""}${row.last.dataVersion ? ` · version ${row.last.dataVersion}` : ""}`
      : c.dim("never materialized");
    const p = row.partitions;
    const share = !p ? "" : p.materialized === p.total ? c.green(`${p.materialized}/${p.total}`) : c.yellow(`${p.materialized}/${p.total}`);
    const missing = p?.missing.length ? `missing ${briefKeys(p!.missing, order.get(row.asset) ?? [])}${p!.failed.length ? c.red(` (failed: ${briefKeys(p!.failed, order.get(row.asset) ?? [])})`) : ""}` : "";
    return [row.asset, share, last, missing];
  });
  return table([["asset", "partitions", "last materialization", ""].map((h) => c.dim(h)), ...lines]);
}

/** Columns padded to their widest cell (colour codes do not count). */
function table(rows: string[][]): string {
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "").length;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? ""))));
  return `${rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + " ".repeat(widths[i]! - visible(cell)))).join("  ").trimEnd()).join("\n")}\n`;
}
