/**
 * The SDK clients of a target, built from endpoints and credentials only: a Lambda client, and the CloudWatch
 * Logs channel that reads the same functions' logs (same region, credentials and endpoint unless a logs
 * endpoint is given). This module knows AWS's SDK, never the emulator.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { type ClientConfig, LogsChannel, type LogsPacing } from "./logs-channel.js";
import { InterruptibleHandler } from "./interruptible-handler.js";
import { retryAllButThrottles } from "./throttle.js";
import { lambdaSdk } from "./sdk.js";

/** Lambda functions may run 15 minutes: no request timeout, but a connection that fails fast. */
const REQUEST_HANDLER = { connectionTimeout: 5_000, requestTimeout: 0 };

export interface Clients {
  lambda: LambdaClient;
  logs: LogsChannel;
  /** Lets every Lambda request in flight go (they fail with an AbortError). */
  interrupt(): void;
  destroy(): void;
}

export async function createClients(config: ClientConfig, pacing: LogsPacing): Promise<Clients> {
  const { LambdaClient } = lambdaSdk();
  const { logsEndpoint: _logs, ...common } = config;
  const requestHandler = new InterruptibleHandler(REQUEST_HANDLER);
  // cacheMiddleware: each command's middleware is resolved once, not per send (see interruptible-handler.ts).
  const lambda = new LambdaClient({ ...common, requestHandler, retryStrategy: retryAllButThrottles(), cacheMiddleware: true } as never);
  const logs = new LogsChannel(config, pacing);
  return {
    lambda,
    logs,
    interrupt: () => requestHandler.interrupt(),
    destroy() {
      lambda.destroy();
      logs.destroy();
    },
  };
}
