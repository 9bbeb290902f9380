/**
 * Reading one invocation's log from CloudWatch Logs, where Lambda writes every line: the function's log group
 * (its LoggingConfig), the stream its START line is in, and that stream read forward to its REPORT line.
 */
import type { FilterLogEventsCommandOutput, GetLogEventsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { setTimeout as sleep } from "node:timers/promises";
import type { LogsChannel } from "./logs-channel.js";
import { platformMark } from "./log-reader.js";
import type { LambdaTarget } from "./target.js";
import { getOrCreate } from "../util/maps.js";
import { lambdaSdk } from "./sdk.js";

export interface LogLocation {
  group: string;
  format: "Text" | "JSON";
  /** With the JSON format: LoggingConfig.ApplicationLogLevel, below which Lambda drops application lines. */
  applicationLevel?: string;
}

/** Lambda's and the caller's clocks differ a little: look that far before the call for its START line. */
export const CLOCK_SLACK_MS = 2_000;

/** The logs could not be read: `hint` says what to change (a permission, a log group). */
export class LogsUnavailable extends Error {
  override name = "LogsUnavailable";
  constructor(
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
  }
}

const locations = new WeakMap<object, Map<string, Promise<LogLocation>>>();

/** Where a deployed function logs: its LoggingConfig, asked once per target; Lambda's default when it cannot be asked. */
export function logLocation(target: LambdaTarget, deployed: string): Promise<LogLocation> {
  const cache = getOrCreate(locations, target.client, () => new Map<string, Promise<LogLocation>>());
  let found = cache.get(deployed);
  if (!found) {
    found = (async () => {
      // A name may be an ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]).
      const name = deployed.startsWith("arn:") ? (deployed.split(":")[6] ?? deployed) : deployed.split(":")[0]!;
      const fallback: LogLocation = { group: `/aws/lambda/${name}`, format: "Text" };
      try {
        const { GetFunctionConfigurationCommand } = lambdaSdk();
        const config = await target.client.send(new GetFunctionConfigurationCommand({ FunctionName: deployed }));
        const json = config.LoggingConfig?.LogFormat === "JSON";
        return {
          group: config.LoggingConfig?.LogGroup ?? fallback.group,
          format: json ? "JSON" : "Text",
          ...(json && config.LoggingConfig?.ApplicationLogLevel ? { applicationLevel: config.LoggingConfig.ApplicationLogLevel } : {}),
        };
      } catch {
        return fallback;
      }
    })();
    cache.set(deployed, found);
  }
  return found;
}

/** The filter pattern that finds START lines (of one request, or of any). */
export function startPattern(format: LogLocation["format"], requestId?: string): string {
  if (format === "JSON") return requestId ? `"platform.start" "${requestId}"` : '"platform.start"';
  return requestId ? `"START RequestId: ${requestId}"` : '"START RequestId"';
}

export interface StartLine {
  requestId: string;
  stream: string;
  timestamp: number;
}

/** START lines of the group since `since` (ms), oldest first, at most a few pages. */
export async function startLines(channel: LogsChannel, loc: LogLocation, since: number, requestId?: string): Promise<StartLine[]> {
  const { FilterLogEventsCommand } = await channel.commands();
  const found: StartLine[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 5; page++) {
    const out = await logsCall(loc, () =>
      channel.send<FilterLogEventsCommandOutput>(
        "FilterLogEvents",
        new FilterLogEventsCommand({ logGroupName: loc.group, startTime: Math.max(0, since - CLOCK_SLACK_MS), filterPattern: startPattern(loc.format, requestId), nextToken }),
      ),
    );
    for (const e of out.events ?? []) {
      const mark = platformMark(e.message ?? "");
      if (mark?.kind === "start" && mark.requestId && e.logStreamName && (!requestId || mark.requestId === requestId)) {
        found.push({ requestId: mark.requestId, stream: e.logStreamName, timestamp: e.timestamp ?? since });
      }
    }
    nextToken = out.nextToken;
    if (!nextToken || (requestId && found.length > 0)) break;
  }
  return found;
}

/** Reads one stream forward from a time, a page at a time; `read()` returns the lines that came since. */
export class StreamCursor {
  private token: string | undefined;

  constructor(
    private readonly channel: LogsChannel,
    private readonly loc: LogLocation,
    readonly stream: string,
    private readonly startTime: number,
  ) {}

  async read(): Promise<string[]> {
    const { GetLogEventsCommand } = await this.channel.commands();
    const lines: string[] = [];
    // Until the token comes back unchanged (the end, for now), or a bounded number of pages per call.
    for (let page = 0; page < 20; page++) {
      const out = await logsCall(this.loc, () =>
        this.channel.send<GetLogEventsCommandOutput>(
          "GetLogEvents",
          new GetLogEventsCommand({
            logGroupName: this.loc.group,
            logStreamName: this.stream,
            startFromHead: true,
            ...(this.token ? { nextToken: this.token } : { startTime: this.startTime }),
          }),
        ),
      );
      for (const e of out.events ?? []) if (e.message !== undefined) lines.push(e.message.replace(/\n$/, ""));
      const same = out.nextForwardToken === this.token;
      this.token = out.nextForwardToken ?? this.token;
      // A REPORT line ends an invocation: no need to ask whether more has come after it yet.
      const ended = lines.length > 0 && platformMark(lines.at(-1)!)?.kind === "report";
      if (same || ended || (out.events ?? []).length === 0) break;
    }
    return lines;
  }
}

/**
 * Feeds an invocation's lines from its START to its REPORT to `onLine`, waiting (with a bounded backoff) for
 * CloudWatch Logs to have them. Throws `LogsUnavailable`.
 */
export async function readInvocation(
  channel: LogsChannel,
  loc: LogLocation,
  requestId: string,
  since: number,
  onLine: (line: string) => void,
  /** A cursor that has already read past this request's START line (live following): read on from it. */
  resume?: StreamCursor,
): Promise<void> {
  const deadline = Date.now() + channel.pacing.ingestWaitMs;
  let delay = Math.max(50, channel.pacing.pollMs / 4);
  const pause = async (what: string) => {
    if (Date.now() + delay > deadline) {
      throw new LogsUnavailable(`CloudWatch Logs did not have ${what} of request ${requestId} after ${channel.pacing.ingestWaitMs / 1000} s`);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 2_000);
  };
  let cursor = resume;
  let started = resume !== undefined;
  while (!cursor) {
    // The last START of the request: a sandbox that died before taking the event leaves an earlier one.
    const start = (await throttledAsEmpty(() => startLines(channel, loc, since, requestId))).at(-1);
    if (start) cursor = new StreamCursor(channel, loc, start.stream, start.timestamp);
    else await pause("the START line");
  }
  for (;;) {
    for (const line of await throttledAsEmpty(() => cursor.read())) {
      const mark = platformMark(line);
      if (!started) {
        // Lines of the same millisecond before START belong to the sandbox's previous moments.
        if (mark?.kind !== "start" || mark.requestId !== requestId) continue;
        started = true;
      }
      onLine(line);
      if (mark?.kind === "report" && mark.requestId === requestId) return;
    }
    await pause("the REPORT line");
  }
}

/** A throttled read is retried later like a read that found nothing yet (the SDK has retried it already). */
async function throttledAsEmpty<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof LogsUnavailable && /Throttl/.test(error.message)) return [];
    throw error;
  }
}

/** Runs one CloudWatch Logs call, turning what the SDK throws into a `LogsUnavailable` that says what to do. */
async function logsCall<T>(loc: LogLocation, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const e = error as { name?: string; message?: string; code?: string };
    const name = e.name ?? "Error";
    if (/AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken|CredentialsProvider/.test(name)) {
      throw new LogsUnavailable(`reading ${loc.group} was refused (${name})`, `allow logs:FilterLogEvents and logs:GetLogEvents on ${loc.group}`);
    }
    if (name === "ResourceNotFoundException") {
      throw new LogsUnavailable(`log group ${loc.group} was not found`, "check the function's LoggingConfig.LogGroup and the profile's region (or lambda.logsEndpoint)");
    }
    if (name === "ThrottlingException") throw new LogsUnavailable(`CloudWatch Logs throttled the reads: ${e.message ?? ""}`);
    throw new LogsUnavailable(`reading ${loc.group} failed: ${name}: ${e.message ?? String(error)}`);
  }
}
