/**
 * `pipes runtimes`: every Lambda runtime pipes knows, with AWS's dates (deprecation, block create, block update),
 * which is the default, and what the emulator runs it on here; `--fetch` gets a Node.js runtime's binary now
 * (e.g. before going offline, or in CI), as the emulator would on first need.
 */
import type { Command } from "commander";
import { UserError } from "../errors.js";
import {
  DEFAULT_PYTHON_RUNTIME,
  DEFAULT_RUNTIME,
  nodeMajorOf,
  RETIRED_RUNTIMES,
  RUNTIME_CALENDAR,
  RUNTIME_CALENDAR_READ,
  RUNTIME_CALENDAR_SOURCE,
  runtimeStanding,
} from "../facts/runtimes.js";
import { calendarToday } from "../util/clock.js";
import { didYouMean } from "../util/suggest.js";
import { outputFor, type CliContext } from "./context.js";
import { collect } from "./parse-options.js";

interface RuntimesOptions {
  json?: boolean;
  fetch: string[];
}

export function registerRuntimes(program: Command, ctx: CliContext): void {
  program
    .command("runtimes")
    .description("list Lambda's Node.js and Python runtimes: AWS's deprecation dates, the default, what each runs on here")
    .option("--fetch <runtime>", "fetch a Node.js runtime's binary into the cache now (repeatable)", collect, [])
    .option("--json", "print one JSON document")
    .action(async (options: RuntimesOptions) => {
      const output = outputFor(ctx, options);
      const c = output.color;
      const today = calendarToday(ctx.env);
      const [{ cachedNode, fetchNode, nodePackageName }, { PythonResolver }] = await Promise.all([import("../runtimes/node-cache.js"), import("../emulator/python.js")]);
      for (const runtime of options.fetch) {
        const major = nodeMajorOf(runtime);
        if (major === undefined) {
          const names = RUNTIME_CALENDAR.filter((r) => r.language === "nodejs").map((r) => r.id);
          throw new UserError(`--fetch ${runtime}: not a Node.js runtime${didYouMean(runtime, names)}; Node.js runtimes: ${names.join(", ")}`);
        }
        if (Number(process.versions.node.split(".")[0]) === major || cachedNode(major, ctx.env)) continue;
        if (!options.json) ctx.stderr.write(c.dim(`fetching Node.js ${major} (${nodePackageName()}@${major}) for ${runtime}…\n`));
        try {
          const fetched = await fetchNode(major, ctx.env);
          if (!options.json) ctx.stderr.write(`${c.green("✔")} Node.js ${fetched.version} for ${runtime}: ${fetched.command}\n`);
        } catch (error) {
          throw new UserError(`--fetch ${runtime}: ${(error as Error).message}`);
        }
      }
      const python = new PythonResolver(ctx.env);
      // Every interpreter asked at once: a pyenv shim can take a second to answer.
      const pythons = RUNTIME_CALENDAR.filter((r) => r.language === "python").map((r) => r.id);
      python.warm(pythons);
      await Promise.all(pythons.map((id) => python.asking(id)));
      const rows = RUNTIME_CALENDAR.map((r) => {
        let runsOn: { command: string | null; version: string | null; note: string | null };
        if (r.language === "nodejs") {
          const major = Number(r.version);
          const cached = Number(process.versions.node.split(".")[0]) === major ? { command: process.execPath, version: process.version } : cachedNode(major, ctx.env);
          runsOn = cached
            ? { ...cached, note: null }
            : { command: null, version: null, note: `fetched on first use (${nodePackageName() ?? "no npm package for this machine"}@${major}), or PIPES_NODE` };
        } else {
          const choice = python.choose(r.id);
          runsOn = { command: choice.version ? choice.command : null, version: choice.version, note: choice.note ?? choice.warning };
        }
        return { ...r, standing: runtimeStanding(r.id, today), default: r.id === DEFAULT_RUNTIME || r.id === DEFAULT_PYTHON_RUNTIME, runsOn };
      });
      if (options.json) {
        const doc = { today, source: RUNTIME_CALENDAR_SOURCE, read: RUNTIME_CALENDAR_READ, runtimes: rows, retired: RETIRED_RUNTIMES };
        ctx.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        return;
      }
      const standingText = (s: string) =>
        s === "supported" ? c.green("supported") : s === "deprecated" ? c.yellow("deprecated") : c.red(s === "create-blocked" ? "create blocked" : "update blocked");
      const lines = [
        `${c.bold("runtime".padEnd(12))} ${"deprecated".padEnd(11)} ${"no create".padEnd(11)} ${"no update".padEnd(11)} ${"status".padEnd(15)} runs here on`,
      ];
      for (const r of rows) {
        const on = r.runsOn.command ? `${r.runsOn.version} ${c.dim(r.runsOn.command)}` : c.dim(r.runsOn.note ?? "");
        const flag = r.default ? c.cyan(" (default)") : "";
        const status = standingText(r.standing);
        lines.push(`${r.id.padEnd(12)} ${r.deprecation.padEnd(11)} ${r.blockCreate.padEnd(11)} ${r.blockUpdate.padEnd(11)} ${status}${" ".repeat(Math.max(1, 16 - visible(r.standing)))}${on}${flag}`);
        if (r.runsOn.command && r.runsOn.note) lines.push(c.dim(`${" ".repeat(12)} ${r.runsOn.note}`));
      }
      lines.push(
        "",
        c.dim(`Retired (AWS refuses creating or updating them): ${RETIRED_RUNTIMES.join(", ")}`),
        c.dim(`Dates: AWS's runtime table (${RUNTIME_CALENDAR_SOURCE}), read ${RUNTIME_CALENDAR_READ}; today is ${today}.`),
      );
      ctx.stdout.write(`${lines.join("\n")}\n`);
    });
}

/** The width the status column's words take, without colour codes. */
const visible = (standing: string) => (standing === "create-blocked" ? "create blocked" : standing === "update-blocked" ? "update blocked" : standing).length;
