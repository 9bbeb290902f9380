import { DEFAULT_PROFILE } from "./validate.js";
import type { ProfileSource } from "./normalized.js";

/** The one precedence order: `--profile` > `PIPES_PROFILE` > the file's `defaultProfile` > `local`. */
export function chooseProfile(input: {
  flag?: string | undefined;
  env?: string | undefined;
  fileDefault?: string | null;
}): { name: string; source: ProfileSource } {
  if (input.flag) return { name: input.flag, source: "--profile" };
  if (input.env) return { name: input.env, source: "PIPES_PROFILE" };
  if (input.fileDefault) return { name: input.fileDefault, source: "defaultProfile" };
  return { name: DEFAULT_PROFILE, source: "default" };
}
