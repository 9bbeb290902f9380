/**
 * Today's date for the runtime calendar (src/facts/runtimes.ts), as YYYY-MM-DD in UTC. `PIPES_TODAY` stands in
 * for the clock, so tests (and a user checking what a later date will bring) can see a runtime's later stages.
 */
export function calendarToday(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string {
  const given = env.PIPES_TODAY?.trim();
  if (given && /^\d{4}-\d{2}-\d{2}$/.test(given)) return given;
  return now.toISOString().slice(0, 10);
}
