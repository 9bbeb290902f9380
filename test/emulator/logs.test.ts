// The emulator's CloudWatch Logs, read through the real @aws-sdk/client-cloudwatch-logs.
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  type OutputLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { client, fn, invoke } from "../helpers/emulator.js";
import { leftAfter } from "../helpers/procs.js";

let emulator: Emulator;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  emulator = await startEmulator({
    functions: [fn("lines", "node/lines.handler", { concurrency: 2 }), fn("py", "python/app.handler"), fn("small", "node/lines.handler")],
    // Small enough to see retention work; the default is 16 MB per function.
    logRetentionBytes: 64 * 1024,
  });
  lambda = client(emulator);
  logs = new CloudWatchLogsClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" }, maxAttempts: 1 });
});

afterAll(async () => {
  lambda.destroy();
  logs.destroy();
  expect(await leftAfter(() => emulator.close())).toEqual([]);
});

const STREAM = /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/;

describe("the emulator's CloudWatch Logs API", () => {
  it("writes every line, START to REPORT, to /aws/lambda/<name>, one stream per sandbox named as Lambda names them", async () => {
    const started = Date.now();
    const [a, b] = await Promise.all([invoke(lambda, "lines", { lines: 3 }), invoke(lambda, "lines", { lines: 2, size: 30 })]);
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/li" }));
    expect(groups.logGroups?.map((g) => g.logGroupName)).toEqual(["/aws/lambda/lines"]);
    expect(groups.logGroups?.[0]?.arn).toBe("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/lines:*");

    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/lines", orderBy: "LastEventTime", descending: true }));
    expect(streams.logStreams).toHaveLength(2);
    for (const s of streams.logStreams!) {
      expect(s.logStreamName).toMatch(STREAM);
      expect(s.firstEventTimestamp).toBeGreaterThanOrEqual(started);
    }
    // Each invocation's lines are in one stream, in order, each an event with its timestamp.
    for (const [r, n] of [[a, 3], [b, 2]] as const) {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/lines", filterPattern: `"START RequestId: ${r.requestId}"` }));
      expect(found.events).toHaveLength(1);
      const stream = found.events![0]!.logStreamName!;
      const events = await logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/lines", logStreamName: stream, startFromHead: true }));
      const messages = events.events!.map((e) => e.message!);
      expect(messages[0]).toBe(`START RequestId: ${r.requestId} Version: $LATEST`);
      expect(messages.filter((m) => m.startsWith("line "))).toHaveLength(n);
      expect(messages.at(-2)).toBe(`END RequestId: ${r.requestId}`);
      expect(messages.at(-1)).toMatch(new RegExp(`^REPORT RequestId: ${r.requestId}\\tDuration: `));
      for (const e of events.events!) expect(e.timestamp).toBeGreaterThanOrEqual(started);
      // The tail Invoke returned is the end of this same log.
      expect(messages.slice(-r.log.length)).toEqual(r.log);
    }
  });

  it("pages GetLogEvents forward with AWS's tokens, and hands back the same token at the end", async () => {
    const r = await invoke(lambda, "lines", { lines: 25 });
    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/lines", filterPattern: `"START RequestId: ${r.requestId}"` }));
    const stream = found.events![0]!.logStreamName!;
    const read: OutputLogEvent[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/lines", logStreamName: stream, startFromHead: true, limit: 10, nextToken: token }));
      expect(page.nextForwardToken).toMatch(/^f\/\d{56}$/);
      expect(page.nextBackwardToken).toMatch(/^b\/\d{56}$/);
      if (page.nextForwardToken === token) {
        expect(page.events).toEqual([]);
        break;
      }
      read.push(...page.events!);
      token = page.nextForwardToken;
      pages++;
    }
    const own = read.map((e) => e.message!).filter((m) => m.startsWith("line "));
    expect(own.slice(-25)).toEqual(Array.from({ length: 25 }, (_, i) => expect.stringMatching(new RegExp(`^line ${String(i).padStart(5, "0")}`))));
    expect(pages).toBeGreaterThanOrEqual(3);
    // Without startFromHead the newest events come first (in order), as on AWS.
    const newest = await logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/lines", logStreamName: stream, limit: 2 }));
    expect(newest.events!.map((e) => e.message!.split("\t")[0])).toEqual([`END RequestId: ${r.requestId}`, `REPORT RequestId: ${r.requestId}`]);
  });

  it("filters by request id, by term, across streams, and pages FilterLogEvents", async () => {
    const r = await invoke(lambda, "py", {});
    const byId = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/py", filterPattern: r.requestId }));
    // START, END, REPORT and the logging line carry the request id; print() does not.
    expect(byId.events!.map((e) => e.message!.split(/[\t ]/)[0])).toEqual(["START", "[WARNING]", "END", "REPORT"]);
    const printed = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/py", filterPattern: '"printed line" -nothing' }));
    expect(printed.events!.map((e) => e.message)).toEqual(["printed line"]);
    const either = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/py", filterPattern: "?printed ?WARNING" }));
    expect(either.events).toHaveLength(2);
    const future = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/py", startTime: Date.now() + 60_000 }));
    expect(future.events).toEqual([]);

    const all: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/lines", filterPattern: "line", limit: 7, nextToken }));
      all.push(...page.events!.map((e) => e.message!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(all).toHaveLength(3 + 2 + 25);
    expect(pages).toBe(5);
  });

  it("keeps each group within its retention bound, dropping the oldest events first", async () => {
    for (let i = 0; i < 4; i++) await invoke(lambda, "small", { lines: 100, size: 300 });
    const group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/small" }))).logGroups![0]!;
    expect(group.storedBytes).toBeLessThanOrEqual(64 * 1024);
    expect(group.storedBytes).toBeGreaterThan(50 * 1024);
    const stream = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/small" }))).logStreams![0]!.logStreamName!;
    const events = (await logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/small", logStreamName: stream, startFromHead: true }))).events!;
    // The newest invocation is whole; the oldest is gone.
    expect(events.at(-1)!.message).toMatch(/^REPORT /);
    expect(events.filter((e) => e.message!.startsWith("START "))).not.toHaveLength(4);
    expect(events[0]!.message).not.toMatch(/^START /);
  });

  it("answers bad calls with AWS's error shapes", async () => {
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/nope", logStreamName: "x" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "The specified log group does not exist.",
    });
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/py", logStreamName: "nope" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "The specified log stream does not exist.",
    });
    await expect(logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/py", limit: 500 }))).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/py", filterPattern: "{ $.level = 1 }" }))).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/py", logStreamName: "x", nextToken: "f/abc" }))).rejects.toMatchObject({ name: "InvalidParameterException" });

    const raw = (target: string, body: string) =>
      new Promise<{ status: number; type: string | undefined; body: any }>((resolve, reject) => {
        const req = request(`${emulator.url}/`, { method: "POST", headers: { "X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1", Authorization: "AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0" } }, (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode!, type: res.headers["x-amzn-errortype"] as string | undefined, body: JSON.parse(text) }));
        });
        req.on("error", reject);
        req.end(body);
      });
    expect(await raw("Logs_20140328.PutLogEvents", "{}")).toMatchObject({ status: 400, type: "UnknownOperationException", body: { __type: "UnknownOperationException" } });
    expect(await raw("Logs_20140328.__proto__", "{}")).toMatchObject({ status: 400, type: "UnknownOperationException" });
    expect(await raw("Logs_20140328.GetLogEvents", "{not json")).toMatchObject({ status: 400, type: "SerializationException" });
    expect(await raw("Logs_20140328.FilterLogEvents", "[1]")).toMatchObject({ status: 400, type: "SerializationException" });
  });
});
