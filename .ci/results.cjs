// The closing lines of .ci/run, from vitest's JSON reports (one per Node.js):
//   node .ci/results.cjs line REPORT VERSION SECONDS   → "Node.js v24.22.3: 266 passed, 0 failed, 1 skipped (301 s)"
//   node .ci/results.cjs total FOLDER                  → "798 passed, 0 failed, 3 skipped", over every report there
// A test file that fails before any test runs (an import error, a missing tool on CI) counts as one failure.
// Each failure is named under its line (file, test, first line of the error): the log's tail says what failed, so a
// red CI run can be read without its (long, interleaved) middle.
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

function counts(report) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  const failedFiles = r.testResults.filter((file) => file.status === "failed" && !file.assertionResults.some((t) => t.status === "failed")).length;
  return { passed: r.numPassedTests, failed: r.numFailedTests + failedFiles, skipped: r.numPendingTests + r.numTodoTests };
}
function failures(report) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  const firstLine = (messages) => String(messages?.[0] ?? "").replace(/\u001b\[[0-9;]*m/g, "").split("\n").find((l) => l.trim()) ?? "";
  const out = [];
  for (const file of r.testResults) {
    const name = file.name.replace(`${process.cwd()}/`, "");
    const failed = file.assertionResults.filter((t) => t.status === "failed");
    for (const t of failed) out.push(`  ✗ ${name} › ${t.fullName}: ${firstLine(t.failureMessages).slice(0, 300)}`);
    if (file.status === "failed" && failed.length === 0) out.push(`  ✗ ${name}: ${firstLine([file.message]).slice(0, 300)}`);
  }
  return out;
}
const words = (c) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

const [mode, ...args] = process.argv.slice(2);
if (mode === "line") {
  const [report, version, seconds] = args;
  let c;
  try {
    c = counts(report);
  } catch {
    console.log(`Node.js ${version}: no results (the run did not finish)`);
    process.exit(0);
  }
  console.log(`Node.js ${version}: ${words(c)} (${seconds} s)`);
  for (const line of failures(report)) console.log(line);
} else if (mode === "total") {
  const all = readdirSync(args[0]).filter((f) => f.endsWith(".json")).map((f) => counts(join(args[0], f)));
  console.log(words(all.reduce((a, c) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }), { passed: 0, failed: 0, skipped: 0 })));
} else {
  console.error("usage: node .ci/results.cjs line REPORT VERSION SECONDS | total FOLDER");
  process.exit(2);
}
