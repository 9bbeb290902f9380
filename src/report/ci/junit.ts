/**
 * JUnit XML, as Jenkins, GitLab, GitHub test reporters and CircleCI read it: one test suite per run, a test case
 * per step (asset × partition) and per asset check. A failed step is an error (its function failed); a failed
 * check that fails the run is a failure; a skipped or interrupted step is skipped. Pure.
 */
import { checkFailsRun, type FailOnChecks } from "../../run/events.js";
import type { RunRecord, StepRecord } from "./records.js";

interface Case {
  classname: string;
  name: string;
  seconds: number;
  /** The child element, if any: failure, error or skipped. */
  outcome: { kind: "failure" | "error" | "skipped"; type?: string; message: string; body?: string } | null;
  out?: string;
}

export function renderJunit(run: RunRecord, suiteName: string): string {
  const rule: FailOnChecks = run.end?.failOnChecks ?? "error";
  const cases = run.steps.flatMap((step) => [stepCase(step), ...step.checks.map((check) => checkCase(step, check, rule))]);
  const count = (kind: string) => cases.filter((c) => c.outcome?.kind === kind).length;
  const seconds = (run.end?.durationMs ?? run.steps.reduce((sum, s) => sum + s.durationMs, 0)) / 1000;
  const totals = `tests="${cases.length}" failures="${count("failure")}" errors="${count("error")}" skipped="${count("skipped")}" time="${seconds.toFixed(3)}"`;
  const suiteAttrs = `name="${attr(suiteName)}" ${totals}${run.start ? ` timestamp="${attr(run.start.startedAt.replace(/\.\d+Z$/, ""))}"` : ""}`;
  const properties = run.start
    ? [
        "    <properties>",
        ...Object.entries({ runId: run.start.runId, profile: run.start.profile, file: run.start.file, failOnChecks: rule }).map(([k, v]) => `      <property name="${k}" value="${attr(v)}"/>`),
        "    </properties>",
      ]
    : [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pipes" ${totals}>`,
    `  <testsuite ${suiteAttrs}>`,
    ...properties,
    ...cases.map(renderCase),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

function stepCase(step: StepRecord): Case {
  const base = { classname: step.asset, name: step.label, seconds: step.durationMs / 1000 };
  if (step.status === "failed") {
    const error = step.error ?? { type: "Failed", message: "the asset failed", trace: [] };
    return { ...base, outcome: { kind: "error", type: error.type, message: error.message, body: [error.message, ...error.trace].join("\n") } };
  }
  if (step.status === "skipped") return { ...base, outcome: { kind: "skipped", message: step.reason ?? "skipped" } };
  if (step.status === "interrupted") return { ...base, outcome: { kind: "skipped", message: step.reason ?? "the run was interrupted" } };
  return { ...base, outcome: null, ...(step.warnings.length ? { out: step.warnings.join("\n") } : {}) };
}

function checkCase(step: StepRecord, check: StepRecord["checks"][number], rule: FailOnChecks): Case {
  const base = { classname: step.asset, name: `${step.label}:${check.name}`, seconds: 0 };
  if (check.passed) return { ...base, outcome: null };
  const message = check.notReported ? `check ${check.name} was declared but not reported` : `check ${check.name} failed (severity ${check.severity})`;
  const gates = checkFailsRun(check.severity, rule);
  if (!gates) return { ...base, outcome: null, out: `${message}; it does not fail the run (--fail-on-checks ${rule})` };
  return { ...base, outcome: { kind: "failure", type: check.notReported ? "AssetCheckNotReported" : `AssetCheck${check.severity}`, message } };
}

function renderCase(c: Case): string {
  const open = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="${c.seconds.toFixed(3)}"`;
  const children: string[] = [];
  if (c.outcome) {
    const type = c.outcome.type ? ` type="${attr(c.outcome.type)}"` : "";
    const head = `<${c.outcome.kind} message="${attr(c.outcome.message)}"${type}`;
    children.push(c.outcome.body ? `      ${head}>${text(c.outcome.body)}</${c.outcome.kind}>` : `      ${head}/>`);
  }
  if (c.out) children.push(`      <system-out>${text(c.out)}</system-out>`);
  return children.length ? `${open}>\n${children.join("\n")}\n    </testcase>` : `${open}/>`;
}

/** XML 1.0 allows only these characters; a function's output may hold others (control bytes): they are dropped. */
const NOT_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

const text = (s: string): string => s.replace(NOT_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const attr = (s: string): string => text(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
