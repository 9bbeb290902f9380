/**
 * Credentials an emulator checks signatures with: random ones for an emulator only `pipes` itself talks to, or
 * the key of a named AWS profile (created in the shared credentials file when missing) for `pipes emulator`, so
 * the AWS CLI, boto3 and a defs profile's `awsProfile` sign with the same secret and nobody else gets in.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { EmulatorCredentials } from "../emulator/index.js";
import { UserError } from "../errors.js";
import { credentialProviders } from "../lambda/sdk.js";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A fresh key pair shaped like AWS's: a 20-character access key id and a 40-character secret. */
export function generateCredentials(): EmulatorCredentials {
  const id = [...randomBytes(15)].map((byte) => BASE32[byte % 32]).join("");
  return { accessKeyId: `PIPES${id}`, secretAccessKey: randomBytes(30).toString("base64") };
}

/** Where the AWS CLI, the SDKs and boto3 read static credentials from. */
export function sharedCredentialsFile(env: NodeJS.ProcessEnv): string {
  return env.AWS_SHARED_CREDENTIALS_FILE || join(env.HOME || homedir(), ".aws", "credentials");
}

export interface ProfileCredentials {
  credentials: EmulatorCredentials;
  /** The file the profile was added to, when it did not exist yet. */
  created: string | null;
}

/** The static key of AWS profile `name`; a new random one, appended to the shared credentials file, if it has none. */
export async function profileCredentials(name: string, env: NodeJS.ProcessEnv): Promise<ProfileCredentials> {
  if (!/^[\w.+@-]+$/.test(name)) throw new UserError(`--credentials ${name}: an AWS profile name has letters, digits and . _ - + @ only.`);
  const file = sharedCredentialsFile(env);
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const escaped = name.replace(/[.+]/g, "\\$&");
  const hasSection = new RegExp(`^\\s*\\[\\s*(profile\\s+)?${escaped}\\s*\\]`, "m").test(text);
  if (hasSection || configHasProfile(name, env)) {
    const { fromIni } = credentialProviders();
    try {
      const { accessKeyId, secretAccessKey } = await fromIni({ profile: name, ignoreCache: true })();
      return { credentials: { accessKeyId, secretAccessKey }, created: null };
    } catch (error) {
      throw new UserError(`--credentials ${name}: the AWS profile exists but its credentials could not be read (${(error as Error).message}).`);
    }
  }
  const credentials = generateCredentials();
  const existed = existsSync(file);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const section = `[${name}]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`;
  appendFileSync(file, `${text === "" || text.endsWith("\n") ? "" : "\n"}${text === "" ? "" : "\n"}${section}`, { mode: 0o600 });
  if (!existed) chmodSync(file, 0o600); // a new secret file is the user's alone; an existing one keeps its mode
  return { credentials, created: file };
}

function configHasProfile(name: string, env: NodeJS.ProcessEnv): boolean {
  const file = env.AWS_CONFIG_FILE || join(env.HOME || homedir(), ".aws", "config");
  if (!existsSync(file)) return false;
  return new RegExp(`^\\s*\\[\\s*profile\\s+${name.replace(/[.+]/g, "\\$&")}\\s*\\]`, "m").test(readFileSync(file, "utf8"));
}
