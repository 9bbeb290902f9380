/**
 * The CloudWatch Logs API of the emulator's log store, on the same endpoint as its Lambda API: the JSON 1.1
 * protocol (`POST /`, `X-Amz-Target: Logs_20140328.<Operation>`) that `@aws-sdk/client-cloudwatch-logs`, boto3
 * and the AWS CLI speak. Parameters, limits, tokens and errors follow the CloudWatch Logs API reference.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../http.js";
import { ACCOUNT, REGION } from "../registry.js";
import { compileFilterPattern } from "./filter-pattern.js";
import {
  invalid,
  LogsError,
  optionalBool,
  optionalInt,
  optionalString,
  pad,
  paginate,
  parseFilterToken,
  parseToken,
  requiredString,
  timeRange,
  type Params,
} from "./params.js";
import type { LogEvent, LogGroup, LogStore, LogStream } from "./store.js";

const TARGET_PREFIX = "Logs_20140328.";
const BODY_LIMIT = 1024 * 1024;
/** GetLogEvents and FilterLogEvents answer with at most 1 MB of events. */
const RESPONSE_BYTES = 1024 * 1024;
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM_NAME = /^[^:*]{1,512}$/;

type Answer = { status: 200; body: unknown } | { status: 400; type: string; message: string };


/** Answers a request when it is a CloudWatch Logs call; false when it is not one. */
export async function handleLogsApi(req: IncomingMessage, res: ServerResponse, store: LogStore): Promise<boolean> {
  const target = req.headers["x-amz-target"];
  if (req.method !== "POST" || typeof target !== "string" || !target.startsWith(TARGET_PREFIX)) return false;
  const body = await readBody(req, BODY_LIMIT);
  send(res, answer(target.slice(TARGET_PREFIX.length), body, store));
  return true;
}

function answer(operation: string, body: Buffer | "too-large", store: LogStore): Answer {
  if (body === "too-large") return { status: 400, type: "InvalidParameterException", message: `Request must be smaller than ${BODY_LIMIT} bytes` };
  let params: unknown;
  try {
    params = JSON.parse(body.toString("utf8") || "{}");
  } catch {
    return { status: 400, type: "SerializationException", message: "Could not parse the request body as JSON" };
  }
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    return { status: 400, type: "SerializationException", message: "The request body must be a JSON object" };
  }
  const operations: Record<string, (p: Params, s: LogStore) => unknown> = {
    DescribeLogGroups: describeLogGroups,
    DescribeLogStreams: describeLogStreams,
    GetLogEvents: getLogEvents,
    FilterLogEvents: filterLogEvents,
  };
  const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
  if (!handler) {
    return { status: 400, type: "UnknownOperationException", message: `The emulator's Logs API does not implement ${operation.slice(0, 100)}` };
  }
  try {
    return { status: 200, body: handler(params as Params, store) };
  } catch (error) {
    if (error instanceof LogsError) return { status: 400, type: error.type, message: error.message };
    throw error;
  }
}

function send(res: ServerResponse, a: Answer): void {
  const body = JSON.stringify(a.status === 200 ? a.body : { __type: a.type, message: a.message });
  const headers: Record<string, string | number> = {
    "Content-Type": "application/x-amz-json-1.1",
    "Content-Length": Buffer.byteLength(body),
    "x-amzn-RequestId": randomUUID(),
  };
  if (a.status !== 200) headers["x-amzn-ErrorType"] = a.type;
  res.writeHead(a.status, headers).end(body);
}

// --- operations ---

function describeLogGroups(p: Params, store: LogStore): unknown {
  const prefix = optionalString(p, "logGroupNamePrefix");
  const pattern = optionalString(p, "logGroupNamePattern");
  if (prefix !== undefined && pattern !== undefined) invalid("logGroupNamePrefix and logGroupNamePattern are mutually exclusive");
  const limit = optionalInt(p, "limit", 1, 50) ?? 50;
  const groups = [...store.groups.values()]
    .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) && (pattern === undefined || g.name.toLowerCase().includes(pattern.toLowerCase())))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = paginate(groups, p, limit);
  return {
    logGroups: page.items.map((g) => ({
      logGroupName: g.name,
      creationTime: g.creationTime,
      metricFilterCount: 0,
      arn: `${groupArn(g.name)}:*`,
      logGroupArn: groupArn(g.name),
      storedBytes: g.storedBytes,
      logGroupClass: "STANDARD",
    })),
    ...page.next,
  };
}

function describeLogStreams(p: Params, store: LogStore): unknown {
  const group = findGroup(p, store);
  const prefix = optionalString(p, "logStreamNamePrefix");
  const orderBy = optionalString(p, "orderBy") ?? "LogStreamName";
  if (orderBy !== "LogStreamName" && orderBy !== "LastEventTime") invalid("orderBy must be LogStreamName or LastEventTime");
  if (orderBy === "LastEventTime" && prefix !== undefined) invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
  const descending = optionalBool(p, "descending") ?? false;
  const limit = optionalInt(p, "limit", 1, 50) ?? 50;
  const key = (s: LogStream) => (orderBy === "LogStreamName" ? s.name : String(s.last?.timestamp ?? 0).padStart(16, "0"));
  const streams = [...group.streams.values()]
    .filter((s) => prefix === undefined || s.name.startsWith(prefix))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (descending ? -1 : 1));
  const page = paginate(streams, p, limit);
  return {
    logStreams: page.items.map((s) => ({
      logStreamName: s.name,
      creationTime: s.creationTime,
      firstEventTimestamp: s.first?.timestamp,
      lastEventTimestamp: s.last?.timestamp,
      lastIngestionTime: s.lastIngestionTime,
      uploadSequenceToken: String(s.last?.seq ?? 0),
      arn: `${groupArn(group.name)}:log-stream:${s.name}`,
      storedBytes: 0,
    })),
    ...page.next,
  };
}

/** Tokens say where the next page starts: `f/<n>` reads forward from event n, `b/<n>` backward from before it. */
function getLogEvents(p: Params, store: LogStore): unknown {
  const group = findGroup(p, store);
  const name = requiredString(p, "logStreamName", STREAM_NAME);
  const { startTime, endTime } = timeRange(p);
  const limit = optionalInt(p, "limit", 1, 10_000) ?? 10_000;
  const token = optionalString(p, "nextToken");
  const parsed = token === undefined ? { forward: optionalBool(p, "startFromHead") ?? false, seq: undefined } : parseToken(token);
  const stream = group.streams.get(name);
  if (!stream) throw new LogsError("ResourceNotFoundException", "The specified log stream does not exist.");
  const inRange = (e: LogEvent) => e.timestamp >= startTime && e.timestamp < endTime;
  const events: LogEvent[] = [];
  let bytes = 0;
  if (parsed.forward) {
    let i = Math.max(stream.lowerBound("seq", parsed.seq ?? 0), stream.lowerBound("timestamp", startTime));
    for (let e = stream.at(i); e && e.timestamp < endTime && events.length < limit && bytes < RESPONSE_BYTES; e = stream.at(++i)) {
      events.push(e);
      bytes += e.bytes;
    }
  } else {
    let i = stream.lowerBound("seq", parsed.seq ?? Number.MAX_SAFE_INTEGER) - 1;
    for (let e = stream.at(i); e && e.timestamp >= startTime && events.length < limit && bytes < RESPONSE_BYTES; e = stream.at(--i)) {
      if (inRange(e)) {
        events.push(e);
        bytes += e.bytes;
      }
    }
    events.reverse();
  }
  // At either end the token comes back unchanged: that is how a client knows it has read everything.
  const here = parsed.seq ?? (parsed.forward ? 0 : store.nextSeq);
  const after = events.length ? events.at(-1)!.seq + 1 : parsed.forward ? here : store.nextSeq;
  const before = events.length ? events[0]!.seq : here;
  return {
    events: events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: `f/${pad(after)}`,
    nextBackwardToken: `b/${pad(before)}`,
  };
}

function filterLogEvents(p: Params, store: LogStore): unknown {
  const group = findGroup(p, store);
  const names = p.logStreamNames;
  const prefix = optionalString(p, "logStreamNamePrefix");
  if (names !== undefined && prefix !== undefined) invalid("logStreamNames and logStreamNamePrefix are mutually exclusive");
  if (names !== undefined && (!Array.isArray(names) || names.length < 1 || names.length > 100 || !names.every((n) => typeof n === "string"))) {
    invalid("logStreamNames must be a list of 1 to 100 stream names");
  }
  const matches = compileFilterPattern(optionalString(p, "filterPattern"));
  if (typeof matches === "string") invalid(`Invalid filter pattern: ${matches}`);
  const { startTime, endTime } = timeRange(p);
  const limit = optionalInt(p, "limit", 1, 10_000) ?? 10_000;
  const token = optionalString(p, "nextToken");
  const after = token === undefined ? 0 : parseFilterToken(token);
  const streams = [...group.streams.values()].filter(
    (s) => (names === undefined || (names as string[]).includes(s.name)) && (prefix === undefined || s.name.startsWith(prefix)),
  );
  // Each stream's first `limit` matches in order; merged by position, the first `limit` of those are the page.
  const found: Array<{ stream: LogStream; event: LogEvent }> = [];
  let capped = false;
  for (const stream of streams) {
    let count = 0;
    let i = Math.max(stream.lowerBound("seq", after + 1), stream.lowerBound("timestamp", startTime));
    for (let e = stream.at(i); e && e.timestamp < endTime; e = stream.at(++i)) {
      if (!(matches as (m: string) => boolean)(e.message)) continue;
      if (count === limit) {
        capped = true;
        break;
      }
      found.push({ stream, event: e });
      count++;
    }
  }
  found.sort((a, b) => a.event.seq - b.event.seq);
  const page: typeof found = [];
  let bytes = 0;
  for (const item of found) {
    if (page.length >= limit || bytes >= RESPONSE_BYTES) break;
    page.push(item);
    bytes += item.event.bytes;
  }
  const more = page.length < found.length || capped;
  return {
    events: page.map(({ stream, event }) => ({
      logStreamName: stream.name,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: pad(event.seq),
    })),
    searchedLogStreams: [],
    ...(more ? { nextToken: Buffer.from(`pipes-filter:${page.at(-1)!.event.seq}`).toString("base64") } : {}),
  };
}

function findGroup(p: Params, store: LogStore): LogGroup {
  const identifier = optionalString(p, "logGroupIdentifier");
  const byName = optionalString(p, "logGroupName");
  if (identifier !== undefined && byName !== undefined) invalid("logGroupName and logGroupIdentifier are mutually exclusive");
  // An identifier may be the group's ARN: arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]
  const name = identifier?.startsWith("arn:") ? identifier.split(":")[6] ?? "" : (identifier ?? byName);
  if (name === undefined) invalid("1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null");
  if (!GROUP_NAME.test(name!)) invalid(`1 validation error detected: Value '${name!.slice(0, 100)}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`);
  const group = store.groups.get(name!);
  if (!group) throw new LogsError("ResourceNotFoundException", "The specified log group does not exist.");
  return group;
}

const groupArn = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
