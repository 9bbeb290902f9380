/** What the Pipes Lambda client works with: SDK clients, the deployed names, how messages are asked for. */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { MessagesMode } from "../defs/normalized.js";
import type { LogsChannel } from "./logs-channel.js";
import type { Architecture } from "../facts/pricing.js";

export interface LambdaTarget {
  kind: "emulator" | "aws";
  /** For messages: "the local emulator", "AWS eu-west-1", an endpoint URL. */
  description: string;
  /** Send without options: a send's options turn off the SDK's middleware cache (an abort goes through interrupt()). */
  client: LambdaClient;
  /** Lets every Invoke in flight go: each fails with an AbortError (Ctrl-C). */
  interrupt(): void;
  /** The same functions' CloudWatch Logs. */
  logs: LogsChannel;
  /** The deployed name of a function of the defs file under this profile. */
  functionName(name: string): string;
  /** The version or alias a function of the defs file is invoked with (`qualifier` in the definitions); undefined: unqualified. */
  qualifier?(name: string): string | undefined;
  /** For an invocation's cost: the region (null on the emulator: priced as on Lambda in us-east-1) and a function's architecture. */
  region: string | null;
  architecture(name: string): Architecture;
  /** The DAGSTER_PIPES_MESSAGES the event carries: `stdio` (written as they happen) or Dagster's `buffered_stdio`. */
  messages: MessagesMode;
  /** Tells `listener` what the local setup has to say (a warning: the Python that runs a function; a note: where a debugger listens); returns the unsubscribe. */
  setupMessages?(listener: (message: string, kind: "warning" | "note") => void): () => void;
}
