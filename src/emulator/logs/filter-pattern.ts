/**
 * CloudWatch Logs filter patterns for unstructured log events: terms and "quoted phrases" that must all appear,
 * `?term` of which one must appear, `-term` that must not; case-sensitive, as AWS matches them. Pure.
 */
export type Matcher = (message: string) => boolean;

/** A matcher for the pattern, or a string saying why the emulator cannot take it. */
export function compileFilterPattern(pattern: string | undefined): Matcher | string {
  const text = (pattern ?? "").trim();
  if (text === "") return () => true;
  if (/^[{[%]/.test(text)) {
    return "the emulator supports term filter patterns (terms, \"phrases\", ?any, -exclude), not JSON, space-delimited or regex patterns";
  }
  const required: string[] = [];
  const optional: string[] = [];
  const excluded: string[] = [];
  const TOKEN = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const match of text.matchAll(TOKEN)) {
    const term = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3]!;
    if (term === "") continue;
    (match[1] === "?" ? optional : match[1] === "-" ? excluded : required).push(term);
  }
  if (text.split('"').length % 2 === 0) return "the filter pattern has an unmatched quote";
  return (message) =>
    required.every((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t))) &&
    !excluded.some((t) => message.includes(t));
}
