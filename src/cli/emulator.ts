import type { Command } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { displayPath } from "../util/paths.js";
import { TurnBatch } from "../util/turn-batch.js";
import { outputFor, type CliContext } from "./context.js";
import { onStopSignal } from "./process-signals.js";
import { runtimeEnv, withSharedOptions } from "./shared-options.js";

interface EmulatorOptions {
  allowHostRuntime?: boolean;
  file?: string;
  profile?: string;
  port: string;
  credentials?: string;
  logRetentionMb: string;
}

export function registerEmulator(program: Command, ctx: CliContext): void {
  withSharedOptions(
    program.command("emulator").description("run the local Lambda-compatible endpoint on its own, for any client (AWS CLI, SDKs, boto3)"),
    ["file", "definitions file whose functions to register (default: defs.ts or pipes.defs.ts here, if any)"],
    ["profile", "profile to validate the definitions with"],
    "allowHostRuntime",
  )
    .option("--port <port>", "port on 127.0.0.1 (0 picks a free one)", "9001")
    .option("--log-retention-mb <mb>", "CloudWatch Logs kept per function, oldest events dropped first", "16")
    .option(
      "--credentials <aws-profile>",
      "accept only requests signed with this AWS profile's key (added to ~/.aws/credentials with a new random key if missing)",
    )
    .action(async (options: EmulatorOptions) => {
      const output = outputFor(ctx, {});
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UserError(`--port ${options.port} is not a port number (0–65535).`);
      }
      const retentionMb = Number(options.logRetentionMb);
      if (!(retentionMb > 0) || retentionMb > 1024) {
        throw new UserError(`--log-retention-mb ${options.logRetentionMb} is not a size in MB (more than 0, at most 1024).`);
      }
      const { loadDefinitions, DEFS_FILE_NAMES } = await import("../defs/load.js");
      const { startEmulator } = await import("../emulator/index.js");
      const { functionSpecs } = await import("../emulator/from-definitions.js");
      const { invocationLine } = await import("../report/emulator.js");
      const hasDefs = options.file !== undefined || DEFS_FILE_NAMES.some((n) => existsSync(join(ctx.cwd, n)));
      const defs = hasDefs ? await loadDefinitions({ file: options.file, profile: options.profile, cwd: ctx.cwd, env: ctx.env }) : undefined;
      const functions = defs ? functionSpecs(defs, defs.file) : [];
      const { profileCredentials } = await import("../target/emulator-credentials.js");
      const signing = options.credentials === undefined ? null : await profileCredentials(options.credentials, ctx.env);
      let emulator: Awaited<ReturnType<typeof startEmulator>>;
      try {
        emulator = await startEmulator({ port, functions, hostEnv: runtimeEnv(ctx.env, options), logRetentionBytes: Math.round(retentionMb * 1024 * 1024), ...(signing ? { credentials: signing.credentials } : {}) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
          throw new UserError(`Port ${port} on 127.0.0.1 is in use. Pick another with --port, or --port 0 for a free one.`);
        }
        throw error;
      }
      const c = output.color;
      ctx.stdout.write(`Ready on ${emulator.url}\n`);
      if (defs) {
        const names = functions.map((f) => `${f.name} (${f.runtime})`).join(", ");
        ctx.stdout.write(c.dim(`${functions.length} functions from ${displayPath(defs.file, ctx.cwd)}: ${names || "none"}\n`));
      }
      if (signing?.created) ctx.stdout.write(`Added AWS profile ${options.credentials} with a new random key to ${displayPath(signing.created, ctx.cwd)}.\n`);
      const who = signing
        ? `the credentials of AWS profile ${options.credentials} (e.g. aws --profile ${options.credentials})`
        : "any credentials (anyone on this machine may call it: --credentials <aws-profile> makes it check signatures)";
      ctx.stdout.write(c.dim(`Point a client at it with endpoint ${emulator.url}, region us-east-1 and ${who}. Ctrl-C stops it.\n`));
      // One write per turn of the event loop, not per invocation: under load several end in one turn.
      const lines = new TurnBatch((text) => ctx.stdout.write(text));
      emulator.events.on("invocation-end", (end) => lines.add(invocationLine(end, output)));
      emulator.events.on("warning", ({ message }) => {
        lines.flush();
        ctx.stderr.write(`${c.yellow("⚠")} ${message}\n`);
      });
      await new Promise<void>((resolve) => onStopSignal(resolve));
      // Nobody waits for an Event invocation's answer; a stop ends it, and that is said, not silent.
      const dropped = emulator.eventsInFlight();
      await emulator.close();
      lines.flush();
      if (dropped > 0) {
        ctx.stdout.write(c.yellow(`⚠ ${dropped} Event invocation${dropped === 1 ? " was" : "s were"} queued or running and ${dropped === 1 ? "was" : "were"} dropped by the stop.\n`));
      }
      ctx.stdout.write(c.dim("Emulator stopped.\n"));
    });
}
