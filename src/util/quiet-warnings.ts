/**
 * Warnings a user cannot act on, dropped; every other warning goes through:
 * - the AWS SDK's, on every run under Node 20, that its 2027 releases will need Node 22;
 * - Node's ExperimentalWarning for vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, which code-cache.ts gives the
 *   bundles it runs so that their import() works (the SDK's of node:http, the CLI's of ora and esbuild).
 */
export function silenceUnactionableWarnings(): void {
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : (warning?.message ?? "");
    const name = typeof warning === "string" ? undefined : warning?.name;
    if (/^NodeVersionSupportWarning\b/.test(text) || name === "NodeVersionSupportWarning") return;
    if (/^vm\.USE_MAIN_CONTEXT_DEFAULT_LOADER is an experimental feature/.test(text)) return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}
