/**
 * The run as a Markdown summary (GitHub's job summary, or `--report md=FILE`): one row per asset, whatever its
 * partitions (a backfill of 1,000 stays a short table), then the steps and checks that failed. Everything that
 * came from a function is escaped: it renders as text, never as HTML or table structure. Pure.
 */
import { noChecks } from "../../run/events.js";
import { addChecks } from "../../run/checks.js";
import { checksText } from "../checks-text.js";
import { formatRunCost, formatUsd } from "../../facts/pricing.js";
import type { RunRecord, StepRecord } from "./records.js";

const LISTED = 20;

export function renderMarkdown(run: RunRecord, title: string): string {
  const end = run.end;
  const lines = [`### ${md(title)}`, ""];
  if (end) {
    const c = end.counts;
    const outcome = [c.materialized && `${c.materialized} materialized`, c.failed && `${c.failed} failed`, c.skipped && `${c.skipped} skipped`, c.interrupted && `${c.interrupted} interrupted`].filter(Boolean).join(", ");
    const checks = checksText(end.checks);
    const runCost = formatRunCost(end);
    const cost = runCost ? ` · ${runCost}` : "";
    lines.push(`${end.ok ? "✅" : "❌"} ${outcome || "nothing to do"}${checks ? ` · checks ${checks}` : ""}${cost} · ${(end.durationMs / 1000).toFixed(1)} s · run \`${end.runId}\``, "");
  } else {
    lines.push("⚠️ the run did not finish", "");
  }
  lines.push("| asset | status | duration | billed | cost | checks |", "|---|---|---|---|---|---|");
  for (const [asset, steps] of byAsset(run.steps)) lines.push(assetRow(asset, steps));
  const failed = run.steps.filter((s) => s.status !== "materialized");
  if (failed.length) {
    lines.push("", `**Not materialized** (${failed.length})`, "");
    for (const s of failed.slice(0, LISTED)) lines.push(`- \`${md(s.label)}\` ${s.status}: ${md(firstLine(s.error?.message ?? s.reason ?? ""))}`);
    if (failed.length > LISTED) lines.push(`- … ${failed.length - LISTED} more: \`pipes logs ${end?.runId.slice(0, 8) ?? "last"}\` shows them`);
  }
  const failedChecks = run.steps.flatMap((s) => s.checks.filter((c) => !c.passed).map((c) => ({ step: s, check: c })));
  if (failedChecks.length) {
    lines.push("", `**Failed checks** (${failedChecks.length})`, "");
    for (const { step, check } of failedChecks.slice(0, LISTED)) lines.push(`- \`${md(step.label)}:${md(check.name)}\` ${check.notReported ? "not reported" : `failed (${check.severity})`}`);
    if (failedChecks.length > LISTED) lines.push(`- … ${failedChecks.length - LISTED} more`);
  }
  return `${lines.join("\n")}\n`;
}

function byAsset(steps: StepRecord[]): Map<string, StepRecord[]> {
  const map = new Map<string, StepRecord[]>();
  for (const step of steps) map.set(step.asset, [...(map.get(step.asset) ?? []), step]);
  return map;
}

function assetRow(asset: string, steps: StepRecord[]): string {
  const n = (status: StepRecord["status"]) => steps.filter((s) => s.status === status).length;
  const status =
    steps.length === 1
      ? { materialized: "✅ materialized", failed: "❌ failed", skipped: "⏭️ skipped", interrupted: "⏹️ interrupted" }[steps[0]!.status]
      : [n("materialized") && `✅ ${n("materialized")}/${steps.length}`, n("failed") && `❌ ${n("failed")} failed`, n("skipped") && `⏭️ ${n("skipped")} skipped`, n("interrupted") && `⏹️ ${n("interrupted")} interrupted`].filter(Boolean).join(" · ");
  const checks = noChecks();
  for (const step of steps) addChecks(checks, step.checkCounts);
  const duration = steps.reduce((sum, s) => sum + s.durationMs, 0);
  const billed = steps.reduce((sum, s) => sum + s.billedMs, 0);
  const cost = steps.reduce((sum, s) => sum + s.costUsd, 0);
  return `| \`${md(asset)}\` | ${status} | ${ms(duration)} | ${billed ? ms(billed) : ""} | ${cost ? formatUsd(cost) : ""} | ${checksText(checks)} |`;
}

const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const firstLine = (s: string): string => s.split("\n")[0]!.slice(0, 300);

/** Text that stays text in GitHub-flavoured Markdown, also inside a table cell or code span. */
export const md = (s: string): string =>
  s.replace(/[\r\n]+/g, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/`/g, "'");
