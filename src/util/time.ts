/** Milliseconds since a `performance.now()` reading, to 0.01 ms (what reports and `--json` show). */
export function since(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}
