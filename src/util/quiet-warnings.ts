/**
 * The AWS SDK warns on every run under Node 20 that its 2027 releases will need Node 22. Users cannot act
 * on it each run, so this drops that one warning and lets every other warning through.
 */
export function silenceSdkNodeVersionWarning(): void {
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : (warning?.message ?? "");
    const name = typeof warning === "string" ? undefined : warning?.name;
    if (/^NodeVersionSupportWarning\b/.test(text) || name === "NodeVersionSupportWarning") return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}
