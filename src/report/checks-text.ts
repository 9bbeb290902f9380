/** Check counts as the summaries say them: `2 passed, 1 failed (ERROR), 1 failed (WARN), 1 not reported`. */
import type { CheckCounts } from "../run/events.js";

type Paint = (text: string) => string;
const plain: Paint = (text) => text;

/** Each part painted by its kind (an unreported check counts as an ERROR failure); empty when no check ran. */
export function checksText(c: CheckCounts, paint: { passed: Paint; error: Paint; warn: Paint } = { passed: plain, error: plain, warn: plain }): string {
  return [
    c.passed ? paint.passed(`${c.passed} passed`) : "",
    c.failedError ? paint.error(`${c.failedError} failed (ERROR)`) : "",
    c.failedWarn ? paint.warn(`${c.failedWarn} failed (WARN)`) : "",
    c.notReported ? paint.error(`${c.notReported} not reported`) : "",
  ]
    .filter(Boolean)
    .join(", ");
}
