/**
 * The emulator's CloudWatch Logs: a log group per function (`/aws/lambda/<name>`), a log stream per sandbox,
 * each line an event with its timestamp, as Lambda writes them. Bounded: each group keeps at most
 * `retentionBytes` (counted as CloudWatch counts an event: its UTF-8 bytes plus 26), oldest events dropped first.
 */
import { getOrCreate } from "../../util/maps.js";

/** CloudWatch Logs counts 26 bytes of overhead per event. */
export const EVENT_OVERHEAD_BYTES = 26;
/** Lambda cuts a log line at CloudWatch's event limit of 256 KB. */
export const MAX_EVENT_BYTES = 256 * 1024 - EVENT_OVERHEAD_BYTES;
/** What each function's log group keeps by default: 16 MB, oldest events dropped first. */
export const DEFAULT_RETENTION_BYTES = 16 * 1024 * 1024;

export interface LogEvent {
  /** Unique and increasing across the store: the position tokens and event ids are made of. */
  seq: number;
  timestamp: number;
  ingestionTime: number;
  message: string;
  bytes: number;
}

export class LogStream {
  readonly creationTime = Date.now();
  storedBytes = 0;
  lastIngestionTime = 0;
  /** Events in order; those before `head` were dropped by retention and wait to be compacted away. */
  private events: LogEvent[] = [];
  private head = 0;

  constructor(
    readonly group: LogGroup,
    readonly name: string,
  ) {}

  get size(): number {
    return this.events.length - this.head;
  }

  get first(): LogEvent | undefined {
    return this.events[this.head];
  }

  get last(): LogEvent | undefined {
    return this.size > 0 ? this.events.at(-1) : undefined;
  }

  push(event: LogEvent): void {
    this.events.push(event);
    this.storedBytes += event.bytes;
    this.lastIngestionTime = event.ingestionTime;
  }

  /** Drops the oldest event; returns its size. */
  shift(): number {
    const event = this.events[this.head++]!;
    this.storedBytes -= event.bytes;
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    return event.bytes;
  }

  /** The index (in `at` terms) of the first event whose `key` is at least `value`; events are ordered by both. */
  lowerBound(key: "seq" | "timestamp", value: number): number {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]![key] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  at(index: number): LogEvent | undefined {
    return index < 0 ? undefined : this.events[this.head + index];
  }
}

export class LogGroup {
  readonly creationTime = Date.now();
  readonly streams = new Map<string, LogStream>();
  storedBytes = 0;
  /** The stream of every stored event, oldest first, so retention drops the group's oldest event. */
  private order: LogStream[] = [];
  private orderHead = 0;

  constructor(readonly name: string) {}

  stream(name: string): LogStream {
    return getOrCreate(this.streams, name, () => new LogStream(this, name));
  }

  record(stream: LogStream, event: LogEvent, retentionBytes: number): void {
    stream.push(event);
    this.order.push(stream);
    this.storedBytes += event.bytes;
    while (this.storedBytes > retentionBytes && this.orderHead < this.order.length) {
      const oldest = this.order[this.orderHead++]!;
      this.storedBytes -= oldest.shift();
      if (oldest.size === 0 && oldest !== stream) this.streams.delete(oldest.name);
    }
    if (this.orderHead > 1024 && this.orderHead * 2 > this.order.length) {
      this.order = this.order.slice(this.orderHead);
      this.orderHead = 0;
    }
  }
}

export class LogStore {
  readonly groups = new Map<string, LogGroup>();
  private seq = 0;

  constructor(readonly retentionBytes = DEFAULT_RETENTION_BYTES) {}

  /** The position the next event will take: where a reader that has seen everything stands. */
  get nextSeq(): number {
    return this.seq + 1;
  }

  group(name: string): LogGroup {
    return getOrCreate(this.groups, name, () => new LogGroup(name));
  }

  /** Appends one line as an event, now. */
  append(groupName: string, streamName: string, line: string): void {
    const group = this.group(groupName);
    const stream = group.stream(streamName);
    let message = line;
    let bytes = Buffer.byteLength(message);
    if (bytes > MAX_EVENT_BYTES) {
      message = Buffer.from(message).subarray(0, MAX_EVENT_BYTES).toString("utf8").replace(/\uFFFD$/, "");
      bytes = Buffer.byteLength(message);
    }
    const now = Date.now();
    // Within a stream, time never runs backwards: readers find events by timestamp.
    const timestamp = Math.max(now, stream.last?.timestamp ?? 0);
    group.record(stream, { seq: ++this.seq, timestamp, ingestionTime: now, message, bytes: bytes + EVENT_OVERHEAD_BYTES }, this.retentionBytes);
  }
}
