/**
 * The qualifier a definitions file asks functions to be invoked with (`qualifier: "live"`): a published version,
 * an alias or `$LATEST`, checked as Lambda checks a qualifier. A function's own wins over its profile's.
 */

/** Lambda's Qualifier: `$LATEST`, a version number, or an alias name (letters, digits, - and _, 1–128). */
const QUALIFIER = /^(\$LATEST|[0-9]+|[a-zA-Z0-9_-]{1,128})$/;

/** The qualifier, or undefined when absent or invalid (reported). */
export function validateQualifier(raw: unknown, where: string, report: (where: string, message: string) => void): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === "string" && QUALIFIER.test(raw)) return raw;
  report(where, `qualifier must be "$LATEST", a version number like "3" or an alias name like "live" (letters, digits, - and _), got ${JSON.stringify(raw)}`);
  return undefined;
}

/** What a function is invoked with: its own qualifier, else its profile's; undefined: unqualified ($LATEST). */
export function effectiveQualifier(fn: { qualifier?: string } | undefined, profile: { qualifier?: string }): string | undefined {
  return fn?.qualifier ?? profile.qualifier;
}

/** `{ qualifier }` when there is one, else nothing (the field stays absent, not undefined). */
export const optionalQualifier = (qualifier: string | undefined): { qualifier?: string } => (qualifier === undefined ? {} : { qualifier });
