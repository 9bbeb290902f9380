/**
 * Percent-decoding of a path segment a client sent. `decodeURIComponent` throws on a malformed escape (`%ZZ`, a
 * lone `%`, bytes that are not UTF-8); a server must answer that with 400, so callers get null instead of a throw.
 */
export function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** What a 400 says about a segment that does not decode. */
export function malformedEscapeMessage(segment: string): string {
  return `The request path has a malformed percent-escape: ${JSON.stringify(segment.slice(0, 100))}`;
}
