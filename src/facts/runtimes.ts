/**
 * Lambda's runtimes and their deprecation calendar, written once: the defaults, the definitions' validation, the
 * emulator, deploy and `pipes runtimes` all read this table. Pure: the date to judge by is passed in.
 *
 * Source: AWS's "Lambda runtimes" page (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), "Supported
 * runtimes" and "Deprecated runtimes" tables, read on 2026-12-04 through the copy quoted by cfn-lint's June-2026
 * update (aws-cloudformation/cfn-lint #4531/#4532) and our research notes (shared/reference/LAMBDA_API.md §6).
 * The English Node.js and Python pages gave earlier block dates for nodejs18.x, nodejs20.x, python3.9 and
 * python3.10 (e.g. nodejs20.x: 2026-08-31 / 2026-09-30); the runtimes page's later dates are the ones kept here.
 * AWS has moved these dates several times: when they move again, change this table and the date above.
 */

/** The day the table below was last read from AWS's pages. */
export const RUNTIME_CALENDAR_READ = "2026-12-04";
export const RUNTIME_CALENDAR_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html";

export type Language = "nodejs" | "python";

export interface RuntimeFacts {
  /** The runtime identifier, as Lambda's API names it. */
  id: string;
  language: Language;
  /** The language version it runs: `24` (Node.js major), `3.13` (Python minor). */
  version: string;
  /** Amazon Linux 2023 or Amazon Linux 2. */
  os: "AL2023" | "AL2";
  /** Deprecation: no more security patches; functions still run and can still be created until blockCreate. */
  deprecation: string;
  /** From this day CreateFunction with the runtime fails. */
  blockCreate: string;
  /** From this day code and configuration updates of its functions fail (invocations go on). */
  blockUpdate: string;
}

/** The runtimes pipes runs, newest first within each language. Dates are YYYY-MM-DD (UTC). */
export const RUNTIME_CALENDAR = [
  { id: "nodejs24.x", language: "nodejs", version: "24", os: "AL2023", deprecation: "2028-04-30", blockCreate: "2028-06-01", blockUpdate: "2028-07-01" },
  { id: "nodejs22.x", language: "nodejs", version: "22", os: "AL2023", deprecation: "2027-04-30", blockCreate: "2027-06-01", blockUpdate: "2027-07-01" },
  { id: "nodejs20.x", language: "nodejs", version: "20", os: "AL2023", deprecation: "2026-04-30", blockCreate: "2027-02-01", blockUpdate: "2027-03-03" },
  { id: "nodejs18.x", language: "nodejs", version: "18", os: "AL2", deprecation: "2025-09-01", blockCreate: "2027-02-01", blockUpdate: "2027-03-03" },
  { id: "python3.14", language: "python", version: "3.14", os: "AL2023", deprecation: "2029-06-30", blockCreate: "2029-07-31", blockUpdate: "2029-08-31" },
  { id: "python3.13", language: "python", version: "3.13", os: "AL2023", deprecation: "2029-06-30", blockCreate: "2029-07-31", blockUpdate: "2029-08-31" },
  { id: "python3.12", language: "python", version: "3.12", os: "AL2023", deprecation: "2028-10-31", blockCreate: "2028-11-30", blockUpdate: "2029-01-10" },
  { id: "python3.11", language: "python", version: "3.11", os: "AL2", deprecation: "2027-06-30", blockCreate: "2027-07-31", blockUpdate: "2027-08-31" },
  { id: "python3.10", language: "python", version: "3.10", os: "AL2", deprecation: "2026-10-31", blockCreate: "2027-02-01", blockUpdate: "2027-03-03" },
  { id: "python3.9", language: "python", version: "3.9", os: "AL2", deprecation: "2025-12-15", blockCreate: "2027-02-01", blockUpdate: "2027-03-03" },
] as const satisfies readonly RuntimeFacts[];

/**
 * Node.js and Python runtimes Lambda retired long before the table above was read: their functions can be neither
 * created nor updated (CreateFunction answers InvalidParameterValueException), though old ones still run.
 */
export const RETIRED_RUNTIMES = [
  "nodejs",
  "nodejs4.3",
  "nodejs4.3-edge",
  "nodejs6.10",
  "nodejs8.10",
  "nodejs10.x",
  "nodejs12.x",
  "nodejs14.x",
  "nodejs16.x",
  "python2.7",
  "python3.6",
  "python3.7",
  "python3.8",
] as const;

/**
 * The other runtime names Lambda's API accepts (the SDK's `Runtime` enum): other languages, OS-only runtimes, and
 * identifiers announced but not in the calendar yet. pipes' emulator does not run them.
 */
export const OTHER_API_RUNTIMES = [
  "nodejs26.x",
  "python3.15",
  "java8",
  "java8.al2",
  "java8.al2023",
  "java11",
  "java11.al2023",
  "java17",
  "java17.al2023",
  "java21",
  "java25",
  "dotnetcore1.0",
  "dotnetcore2.0",
  "dotnetcore2.1",
  "dotnetcore3.1",
  "dotnet6",
  "dotnet8",
  "dotnet10",
  "go1.x",
  "ruby2.5",
  "ruby2.7",
  "ruby3.2",
  "ruby3.3",
  "ruby3.4",
  "ruby4.0",
  "provided",
  "provided.al2",
  "provided.al2023",
] as const;

export type Runtime = (typeof RUNTIME_CALENDAR)[number]["id"];
type NodeRuntime = Extract<(typeof RUNTIME_CALENDAR)[number], { language: "nodejs" }>["id"];
type PythonRuntime = Extract<(typeof RUNTIME_CALENDAR)[number], { language: "python" }>["id"];

/** The runtimes pipes runs, oldest first (the order error messages list them in). */
export const NODE_RUNTIMES = RUNTIME_CALENDAR.filter((r) => r.language === "nodejs")
  .map((r) => r.id as NodeRuntime)
  .reverse();
export const PYTHON_RUNTIMES = RUNTIME_CALENDAR.filter((r) => r.language === "python")
  .map((r) => r.id as PythonRuntime)
  .reverse();
export const RUNTIMES: readonly Runtime[] = [...NODE_RUNTIMES, ...PYTHON_RUNTIMES];

/** The default for a function that names no runtime, and `pipes init`'s: the newest Node.js runtime. */
export const DEFAULT_RUNTIME: Runtime = "nodejs24.x";
/**
 * For a `.py` handler deployed without a runtime, and `pipes init`'s Python function: python3.13, not 3.14. Both
 * are supported until the same day (2029-06-30), and 3.13 has Linux wheels for far more packages today, which is
 * what a dependency build for Lambda (`--only-binary`) needs.
 */
export const DEFAULT_PYTHON_RUNTIME: Runtime = "python3.13";

export const isRuntime = (value: unknown): value is Runtime => (RUNTIMES as readonly unknown[]).includes(value);
export const isPythonRuntime = (runtime: string) => runtime.startsWith("python");

export function runtimeFacts(runtime: string): RuntimeFacts | undefined {
  return RUNTIME_CALENDAR.find((r) => r.id === runtime);
}

/** `nodejs24.x` → 24; undefined for any other runtime. */
export function nodeMajorOf(runtime: string): number | undefined {
  const facts = runtimeFacts(runtime);
  return facts?.language === "nodejs" ? Number(facts.version) : undefined;
}

/**
 * Where a runtime stands on a day: `supported`; `deprecated` (runs, can be created and updated);
 * `create-blocked` (existing functions can still be updated); `update-blocked` (neither); `retired` (blocked
 * long ago); `unknown` (not a Node.js or Python runtime of Lambda's).
 */
export type RuntimeStanding = "supported" | "deprecated" | "create-blocked" | "update-blocked" | "retired" | "unknown";

/** `today` is YYYY-MM-DD; dates in the table are the first day the stage applies. */
export function runtimeStanding(runtime: string, today: string): RuntimeStanding {
  if ((RETIRED_RUNTIMES as readonly string[]).includes(runtime)) return "retired";
  const facts = runtimeFacts(runtime);
  if (!facts) return "unknown";
  if (today >= facts.blockUpdate) return "update-blocked";
  if (today >= facts.blockCreate) return "create-blocked";
  if (today >= facts.deprecation) return "deprecated";
  return "supported";
}

/** The newest supported runtime of the same language: what to move a deprecated function to. */
export function successorOf(runtime: string, today: string): Runtime {
  const language: Language = runtime.startsWith("python") ? "python" : "nodejs";
  const newest = RUNTIME_CALENDAR.find((r) => r.language === language && runtimeStanding(r.id, today) === "supported");
  return newest?.id ?? (language === "python" ? DEFAULT_PYTHON_RUNTIME : DEFAULT_RUNTIME);
}

/**
 * One sentence on a runtime that is deprecated or blocked on `today`, naming its dates and what to move to; null
 * for a supported runtime.
 */
export function deprecationNotice(runtime: string, today: string): string | null {
  const standing = runtimeStanding(runtime, today);
  const to = successorOf(runtime, today);
  if (standing === "retired") return `${runtime} was retired by AWS Lambda long ago: its functions can be neither created nor updated; move to ${to}`;
  const facts = runtimeFacts(runtime);
  if (!facts || standing === "supported" || standing === "unknown") return null;
  const stages = `deprecated ${facts.deprecation}, creating functions blocked from ${facts.blockCreate}, updating them from ${facts.blockUpdate}`;
  const now =
    standing === "update-blocked"
      ? "AWS no longer allows creating or updating its functions"
      : standing === "create-blocked"
        ? "AWS no longer allows creating its functions"
        : "AWS no longer patches it";
  return `${runtime} is deprecated on AWS Lambda (${stages}): ${now}; move to ${to}`;
}

/**
 * Whether AWS refuses a function with this runtime on `today`: creating it (`create`) or updating its code or
 * configuration (`update`). Null when allowed.
 */
export function blockedBecause(runtime: string, action: "create" | "update", today: string): string | null {
  const standing = runtimeStanding(runtime, today);
  const blocked = standing === "retired" || standing === "update-blocked" || (action === "create" && standing === "create-blocked");
  if (!blocked) return null;
  const facts = runtimeFacts(runtime);
  const since = facts ? ` since ${action === "create" ? facts.blockCreate : facts.blockUpdate}` : "";
  return `AWS Lambda refuses ${action === "create" ? "creating" : "updating"} ${runtime} functions${since}: move to ${successorOf(runtime, today)}`;
}

/** AWS's words for a runtime it no longer takes (CreateFunction, UpdateFunctionCode/Configuration). */
export function blockedRuntimeMessage(runtime: string, today: string): string {
  return `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime (${successorOf(runtime, today)}) while creating or updating functions.`;
}
