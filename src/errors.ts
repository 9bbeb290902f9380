/**
 * Exit codes of `pipes` (DESIGN.md), mapped to errors in one place: `src/cli/handle-error.ts`.
 */
export const ExitCode = {
  ok: 0,
  /** An asset failed: function error, pipes `closed` with an exception, invocation error. */
  assetFailed: 1,
  /** Invalid usage or definitions: bad flag, unknown asset/profile, defs file error. */
  usage: 2,
  /** The service or credentials failed: not found, access denied, throttled, endpoint unreachable. */
  service: 3,
  /** Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A problem the user can fix. Its message is shown as is (no stack trace); anything that is not a
 * `UserError` is a bug in `pipes` and is shown with its stack.
 */
export class UserError extends Error {
  override name = "UserError";
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.usage,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The service (Lambda, the emulator, credentials) failed: exit code 3. */
export class ServiceError extends UserError {
  override name = "ServiceError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.service, options);
  }
}

/** One problem found in a definitions file; `where` names the asset, function or profile at fault. */
export interface Problem {
  where: string;
  message: string;
}

/** Every problem of a definitions file, reported together with the file's path. */
export class DefinitionsError extends UserError {
  override name = "DefinitionsError";
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => `  - ${p.where ? `${p.where}: ` : ""}${p.message}`);
    super(`${file} has ${count}:\n${lines.join("\n")}`, ExitCode.usage);
  }
}
