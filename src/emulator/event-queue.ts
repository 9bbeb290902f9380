/**
 * The bytes of Event invocations accepted (202) and not yet ended, per function and in total. On AWS the queue is
 * the service's; here it is the emulator's memory, so it is bounded: past a bound an Event invocation is refused
 * with 429 TooManyRequestsException, as AWS refuses a call it cannot take now, and the SDK retries it with backoff.
 */
/** Queued (or running) Event payload bytes one function may hold. */
export const EVENT_QUEUE_BYTES_PER_FUNCTION = 64 * 1024 * 1024;
/** Queued (or running) Event payload bytes all functions together may hold. */
export const EVENT_QUEUE_BYTES_TOTAL = 256 * 1024 * 1024;

/**
 * The throttle `Reason` of a refusal. AWS documents no queue bound for Event invocations, so these are chosen from
 * the SDK's ThrottleReason enum (@aws-sdk/client-lambda): one function's backlog reads as that function's rate
 * limit, the whole emulator's as the account's concurrency limit.
 */
export type EventQueueRefusal = "FunctionInvocationRateLimitExceeded" | "ConcurrentInvocationLimitExceeded";

export class EventQueue {
  private readonly byFunction = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perFunction = EVENT_QUEUE_BYTES_PER_FUNCTION,
    private readonly overall = EVENT_QUEUE_BYTES_TOTAL,
  ) {}

  /** Counts `bytes` for `name`, or says why they do not fit (nothing counted then). */
  admit(name: string, bytes: number): EventQueueRefusal | null {
    const held = this.byFunction.get(name) ?? 0;
    if (held + bytes > this.perFunction) return "FunctionInvocationRateLimitExceeded";
    if (this.total + bytes > this.overall) return "ConcurrentInvocationLimitExceeded";
    this.byFunction.set(name, held + bytes);
    this.total += bytes;
    return null;
  }

  /** The invocation admitted with `bytes` ended. */
  release(name: string, bytes: number): void {
    const left = (this.byFunction.get(name) ?? 0) - bytes;
    if (left > 0) this.byFunction.set(name, left);
    else this.byFunction.delete(name);
    this.total = Math.max(0, this.total - bytes);
  }

  bytes(name?: string): number {
    return name === undefined ? this.total : (this.byFunction.get(name) ?? 0);
  }
}
