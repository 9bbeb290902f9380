/**
 * The Lambda client of a profile: the embedded emulator (started on demand) or AWS, behind the same
 * `@aws-sdk/client-lambda` code path.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { ResolvedDefinitions } from "../defs/normalized.js";
import type { Emulator } from "../emulator/index.js";

export interface LambdaTarget {
  kind: "emulator" | "aws";
  /** For messages: "the local emulator", "AWS eu-west-1", an endpoint URL. */
  description: string;
  client: LambdaClient;
  /** The deployed name of a function of the defs file under this profile. */
  functionName(name: string): string;
  /** The whole log of an invocation, by request id: known on the emulator only. Read once. */
  takeFullLog(requestId: string): string | undefined;
  emulator: Emulator | null;
  close(): Promise<void>;
}

/** Lambda functions may run 15 minutes: no request timeout, but a connection that fails fast. */
const REQUEST_HANDLER = { connectionTimeout: 5_000, requestTimeout: 0 };

export async function openLambda(defs: ResolvedDefinitions, options: { emulator?: Emulator } = {}): Promise<LambdaTarget> {
  const { LambdaClient } = await import("@aws-sdk/client-lambda");
  const resource = defs.profile.lambda;
  if (resource.kind === "emulator") {
    let emulator = options.emulator;
    const owned = !emulator;
    if (!emulator) {
      const [{ startEmulator }, { functionSpecs }] = await Promise.all([
        import("../emulator/index.js"),
        import("../emulator/from-definitions.js"),
      ]);
      emulator = await startEmulator({ functions: functionSpecs(defs, defs.file) });
    }
    const logs = new Map<string, string>();
    const onEnd = (end: { requestId: string; log: string; invocationType: string }) => {
      if (end.invocationType === "RequestResponse") logs.set(end.requestId, end.log);
    };
    emulator.events.on("invocation-end", onEnd);
    const client = new LambdaClient({
      endpoint: emulator.url,
      region: "us-east-1",
      credentials: { accessKeyId: "pipes-emulator", secretAccessKey: "pipes-emulator" },
      requestHandler: REQUEST_HANDLER,
    });
    const running = emulator;
    return {
      kind: "emulator",
      description: "the local emulator",
      client,
      functionName: (name) => name,
      takeFullLog(requestId) {
        const log = logs.get(requestId);
        logs.delete(requestId);
        return log;
      },
      emulator: running,
      async close() {
        running.events.off("invocation-end", onEnd);
        client.destroy();
        if (owned) await running.close();
      },
    };
  }
  let credentials = resource.credentials ?? undefined;
  if (!credentials && resource.awsProfile) {
    const { fromIni } = await import("@aws-sdk/credential-providers");
    credentials = fromIni({ profile: resource.awsProfile });
  }
  const client = new LambdaClient({
    ...(resource.region ? { region: resource.region } : {}),
    ...(resource.endpoint ? { endpoint: resource.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    requestHandler: REQUEST_HANDLER,
  });
  const description = resource.endpoint
    ? `${resource.endpoint} (profile ${defs.profile.name})`
    : `AWS ${resource.region ?? "(default region)"} (profile ${defs.profile.name})`;
  return {
    kind: "aws",
    description,
    client,
    functionName: resource.functionName,
    takeFullLog: () => undefined,
    emulator: null,
    async close() {
      client.destroy();
    },
  };
}
