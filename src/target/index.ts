/**
 * The one composition root: a resolved profile becomes a target, the Lambda and CloudWatch Logs clients of AWS
 * or of the embedded emulator (started here, or one the caller keeps running), the deployed function names, and
 * one `close()`. `materialize`, `dev` and `deploy-handler` all open and close targets through here.
 */
import type { ResolvedDefinitions } from "../defs/normalized.js";
import type { Emulator } from "../emulator/index.js";
import { createClients } from "../lambda/clients.js";
import { generateCredentials } from "./emulator-credentials.js";
import { AWS_PACING, EMULATOR_PACING } from "../lambda/logs-channel.js";
import type { LambdaTarget } from "../lambda/target.js";
import { credentialProviders } from "../lambda/sdk.js";

import { effectiveQualifier } from "../defs/qualifier.js";
import { UserError } from "../errors.js";

export interface Target extends LambdaTarget {
  /** The emulator behind a local profile, null on AWS. */
  emulator: Emulator | null;
  /** Destroys the clients, and stops the emulator when this target started it. */
  close(): Promise<void>;
}

/**
 * Starts an emulator with the definitions' functions registered. Only this process talks to it, so it checks
 * signatures against a key made here and known nowhere else: another local user cannot invoke or deploy.
 */
export async function startEmulatorFor(defs: ResolvedDefinitions, hostEnv: NodeJS.ProcessEnv = process.env, inspectPort?: number, warm?: string[]): Promise<Emulator> {
  const [{ startEmulator }, { functionSpecs }] = await Promise.all([import("../emulator/index.js"), import("../emulator/from-definitions.js")]);
  return startEmulator({ functions: functionSpecs(defs, defs.file), credentials: generateCredentials(), hostEnv, ...(inspectPort === undefined ? {} : { inspectPort }), ...(warm ? { warm } : {}) });
}

/**
 * Starts a worker of each function ahead (unqualified ones: a version's or an alias's sandboxes are another pool),
 * so its process starts on another core while this one loads the AWS SDK (~60–200 ms, synchronous), not after.
 * Waits only for what needs no I/O (a Node.js at hand: the worker is spawned within this turn); a Node.js being
 * fetched or a Python interpreter still being probed goes on in the background.
 */
async function prewarm(emulator: Emulator, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await Promise.race([emulator.prewarm(names), new Promise((resolve) => setImmediate(resolve))]);
}

/** `uses`: the functions this target will invoke, when known (their interpreters are readied ahead, no others). */
export async function openTarget(defs: ResolvedDefinitions, options: { emulator?: Emulator; hostEnv?: NodeJS.ProcessEnv; uses?: string[] } = {}): Promise<Target> {
  const resource = defs.profile.lambda;
  const architecture = (name: string) => defs.functions.get(name)?.architecture ?? "x86_64";
  const messages = defs.profile.messages;
  const qualifier = (name: string) => effectiveQualifier(defs.functions.get(name), defs.profile);
  if (resource.kind === "emulator") {
    const owned = !options.emulator;
    const emulator = options.emulator ?? (await startEmulatorFor(defs, options.hostEnv, undefined, options.uses));
    // What the emulator says while workers start ahead (a Node.js being fetched, the Python or host Node.js a
    // function runs on) comes before the run listens: kept here, and told to the first listener.
    const early: Array<{ message: string; kind: "warning" | "note" }> = [];
    const keepWarning = ({ message }: { message: string }) => early.push({ message, kind: "warning" });
    const keepNote = ({ message }: { message: string }) => early.push({ message, kind: "note" });
    if (owned) {
      emulator.events.on("warning", keepWarning);
      emulator.events.on("note", keepNote);
      await prewarm(emulator, options.uses?.filter((name) => qualifier(name) === undefined || qualifier(name) === "$LATEST") ?? []);
    }
    // An emulator that checks no signatures still needs the SDK to sign with something.
    const credentials = emulator.credentials ?? { accessKeyId: "pipes-emulator", secretAccessKey: "pipes-emulator" };
    const clients = await createClients({ endpoint: emulator.url, region: "us-east-1", credentials }, EMULATOR_PACING);
    return {
      kind: "emulator",
      description: "the local emulator",
      client: clients.lambda,
      interrupt: clients.interrupt,
      logs: clients.logs,
      functionName: (name) => name,
      qualifier,
      messages,
      region: null,
      architecture,
      emulator,
      setupMessages(listener) {
        emulator.events.off("warning", keepWarning);
        emulator.events.off("note", keepNote);
        for (const { message, kind } of early.splice(0)) listener(message, kind);
        const warning = ({ message }: { message: string }) => listener(message, "warning");
        const note = ({ message }: { message: string }) => listener(message, "note");
        emulator.events.on("warning", warning);
        emulator.events.on("note", note);
        return () => {
          emulator.events.off("warning", warning);
          emulator.events.off("note", note);
        };
      },
      async close() {
        clients.destroy();
        if (owned) await emulator.close();
      },
    };
  }
  let credentials = resource.credentials ?? undefined;
  if (!credentials && resource.awsProfile) {
    const { fromIni } = credentialProviders();
    credentials = fromIni({ profile: resource.awsProfile });
  }
  const clients = await createClients(
    {
      ...(resource.region ? { region: resource.region } : {}),
      ...(resource.endpoint ? { endpoint: resource.endpoint } : {}),
      ...(resource.logsEndpoint ? { logsEndpoint: resource.logsEndpoint } : {}),
      ...(credentials ? { credentials } : {}),
    },
    // A Lambda-compatible endpoint on loopback is an emulator: its logs need no patience.
    resource.endpoint && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(resource.endpoint) ? EMULATOR_PACING : AWS_PACING,
  );
  // The region the SDK settled on (the profile's, or AWS_REGION / ~/.aws/config's). None: every invocation would
  // fail alike, so the run does not start (and is not recorded).
  const region = resource.region ?? (await clients.lambda.config.region().catch(() => null));
  if (!region && !resource.endpoint) {
    clients.destroy();
    throw new UserError(`Profile ${defs.profile.name} has no AWS region: set lambda.region in it, or AWS_REGION (or region in ~/.aws/config${resource.awsProfile ? ` for ${resource.awsProfile}` : ""}).`);
  }
  const description = resource.endpoint
    ? `${resource.endpoint} (profile ${defs.profile.name})`
    : `AWS ${region ?? "(default region)"} (profile ${defs.profile.name})`;
  return {
    kind: "aws",
    description,
    client: clients.lambda,
    interrupt: clients.interrupt,
    logs: clients.logs,
    functionName: resource.functionName,
    qualifier,
    messages,
    region,
    architecture,
    emulator: null,
    async close() {
      clients.destroy();
    },
  };
}
