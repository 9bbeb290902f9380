/**
 * The CloudWatch Logs side of a target: the same region, credentials and endpoint as its Lambda client, the
 * SDK loaded only when a log is first read, and calls queued so they stay within CloudWatch Logs' read
 * quotas (per account and region, so a whole run shares them).
 */
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { setTimeout as sleep } from "node:timers/promises";
import type { CredentialsInput } from "../defs/types.js";
import { logsSdk } from "./sdk.js";

/** Where and as whom both SDK clients connect (declared here, where the logs client is built: clients.ts imports this module). */
export interface ClientConfig {
  region?: string;
  endpoint?: string;
  /** Where CloudWatch Logs is, when it is not at `endpoint`. */
  logsEndpoint?: string;
  credentials?: CredentialsInput;
}

/** The options both SDK clients take. */
export type Client = Omit<ClientConfig, "logsEndpoint">;

/** The calls pipes makes to read logs. */
export type LogsOperation = "FilterLogEvents" | "GetLogEvents";

export interface LogsPacing {
  /** An invocation that has not answered after this long is followed live (null: never); quicker ones cost no call. */
  liveAfterMs: number | null;
  /** Between two polls of a running invocation's log. */
  pollMs: number;
  /** At least this long between calls of one operation (CloudWatch's quotas: FilterLogEvents 5/s, GetLogEvents 25/s). */
  minIntervalMs: Record<LogsOperation, number>;
  /** How long CloudWatch Logs may take to have an invocation's whole log (ingestion is not instant on AWS). */
  ingestWaitMs: number;
}

/** On AWS: within the account's read quotas, and patient with ingestion. */
export const AWS_PACING: LogsPacing = {
  liveAfterMs: 1000,
  pollMs: 1000,
  minIntervalMs: { FilterLogEvents: 250, GetLogEvents: 50 },
  ingestWaitMs: 20_000,
};

/** On the emulator: its store has every line before Invoke answers; nothing to wait for. */
export const EMULATOR_PACING: LogsPacing = {
  liveAfterMs: 300,
  pollMs: 50,
  minIntervalMs: { FilterLogEvents: 0, GetLogEvents: 0 },
  ingestWaitMs: 2_000,
};

export class LogsChannel {
  private client: CloudWatchLogsClient | undefined;
  private readonly next = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: ClientConfig,
    readonly pacing: LogsPacing,
  ) {}

  /** Sends a command of the operation once its turn has come; throws what the SDK throws. */
  async send<T>(operation: LogsOperation, command: object): Promise<T> {
    const client = await this.sdk();
    const interval = this.pacing.minIntervalMs[operation];
    if (interval > 0) {
      // One turn at a time per channel: the wait for a slot is serialised, the calls themselves are not.
      const turn = this.queue.then(async () => {
        const wait = (this.next.get(operation) ?? 0) - Date.now();
        if (wait > 0) await sleep(wait);
        this.next.set(operation, Date.now() + interval);
      });
      this.queue = turn.catch(() => undefined);
      await turn;
    }
    return (await client.send(command as never)) as T;
  }

  /** The SDK module, for building commands; loaded on first use. */
  async commands(): Promise<typeof import("@aws-sdk/client-cloudwatch-logs")> {
    return logsSdk();
  }

  destroy(): void {
    this.client?.destroy();
    this.client = undefined;
  }

  private async sdk(): Promise<CloudWatchLogsClient> {
    if (!this.client) {
      const { CloudWatchLogsClient } = await this.commands();
      const { logsEndpoint, endpoint, ...rest } = this.config;
      const url = logsEndpoint ?? endpoint;
      this.client ??= new CloudWatchLogsClient({ ...rest, ...(url ? { endpoint: url } : {}) } as Client);
    }
    return this.client;
  }
}
