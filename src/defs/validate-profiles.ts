/** Validation of a definitions file's `profiles`: each profile's Lambda resource and extras. Pure. */
import { didYouMean } from "../util/suggest.js";
import { isObject, kindOf } from "../util/values.js";
import type { LambdaResource, Profile } from "./normalized.js";
import { validateLogging } from "./logging.js";
import { optionalQualifier, validateQualifier } from "./qualifier.js";

export const DEFAULT_PROFILE = "local";

type Report = (where: string, message: string) => void;

export function validateProfiles(raw: unknown, report: Report): Map<string, Profile> {
  const profiles = new Map<string, Profile>();
  if (raw !== undefined && !isObject(raw)) {
    report("profiles", `must be an object of profiles by name, got ${kindOf(raw)}`);
  } else if (raw) {
    for (const [name, def] of Object.entries(raw)) {
      const where = `profile "${name}"`;
      if (!isObject(def)) {
        report(where, `must be an object like { lambda: { emulator: true } }, got ${kindOf(def)}`);
        continue;
      }
      for (const k of Object.keys(def)) {
        if (!["lambda", "extras", "description", "messages", "logging", "qualifier"].includes(k)) report(where, `unknown field "${k}"`);
      }
      if (def.extras !== undefined && !isObject(def.extras)) report(where, "extras must be an object");
      if (def.messages !== undefined && def.messages !== "stdio" && def.messages !== "buffered_stdio") {
        report(where, `messages must be "stdio" (the default: written as they happen) or "buffered_stdio" (Dagster's exact event), got ${JSON.stringify(def.messages)}`);
      }
      profiles.set(name, {
        name,
        description: typeof def.description === "string" ? def.description : null,
        lambda: validateLambda(def.lambda, where, report),
        extras: isObject(def.extras) ? def.extras : {},
        messages: def.messages === "buffered_stdio" ? "buffered_stdio" : "stdio",
        logging: validateLogging(def.logging, where, report),
        ...optionalQualifier(validateQualifier(def.qualifier, where, report)),
      });
    }
  }
  // Every file has a local profile on the emulator unless it defines its own.
  if (!profiles.has(DEFAULT_PROFILE)) {
    profiles.set(DEFAULT_PROFILE, { name: DEFAULT_PROFILE, description: null, lambda: { kind: "emulator" }, extras: {}, messages: "stdio", logging: null });
  }
  return profiles;
}

function validateLambda(raw: unknown, where: string, report: Report): LambdaResource {
  if (raw === undefined || (isObject(raw) && raw.emulator === true)) return { kind: "emulator" };
  if (!isObject(raw)) {
    report(where, `lambda must be { emulator: true } or { region, credentials, ... }, got ${kindOf(raw)}`);
    return { kind: "emulator" };
  }
  const known = ["emulator", "region", "awsProfile", "credentials", "endpoint", "logsEndpoint", "functionName"];
  for (const k of Object.keys(raw)) if (!known.includes(k)) report(where, `lambda: unknown field "${k}"${didYouMean(k, known)}`);
  const str = (field: string) => {
    const v = raw[field];
    if (v !== undefined && typeof v !== "string") report(where, `lambda.${field} must be a string`);
    return typeof v === "string" ? v : null;
  };
  const region = str("region");
  const awsProfile = str("awsProfile");
  const endpoint = str("endpoint");
  const logsEndpoint = str("logsEndpoint");
  for (const [field, url] of [["endpoint", endpoint], ["logsEndpoint", logsEndpoint]] as const) {
    if (url !== null && !/^https?:\/\/[^\s/]+/.test(url)) report(where, `lambda.${field} "${url}" must be a URL like http://127.0.0.1:9001`);
  }
  const creds = raw.credentials;
  const credsOk =
    creds === undefined ||
    typeof creds === "function" ||
    (isObject(creds) && typeof creds.accessKeyId === "string" && typeof creds.secretAccessKey === "string");
  if (!credsOk) report(where, "lambda.credentials must be a provider (e.g. fromIni()) or { accessKeyId, secretAccessKey }");
  return {
    kind: "aws",
    region,
    awsProfile,
    credentials: credsOk && creds !== undefined ? (creds as never) : null,
    endpoint,
    logsEndpoint,
    functionName: functionNameMapping(raw.functionName, where, report),
  };
}

function functionNameMapping(raw: unknown, where: string, report: Report): (name: string) => string {
  if (raw === undefined) return (name) => name;
  if (typeof raw === "function") return raw as (name: string) => string;
  if (isObject(raw) && Object.values(raw).every((v) => typeof v === "string")) {
    const table = raw as Record<string, string>;
    return (name) => table[name] ?? name;
  }
  report(where, "lambda.functionName must be a function (name) => deployed name, or an object of names");
  return (name) => name;
}
