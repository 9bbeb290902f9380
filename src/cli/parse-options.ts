import { UserError } from "../errors.js";

/** `--concurrency <n>`: a whole number ≥ 1. */
export function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--concurrency ${text} must be a whole number ≥ 1.`);
  return n;
}

/** For a repeatable option: each value after the ones before. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const FAIL_ON_CHECKS = ["error", "warn", "none"] as const;

/** `--fail-on-checks <rule>`: which failed asset checks make the run exit 1. */
export function parseFailOnChecks(text: string): (typeof FAIL_ON_CHECKS)[number] {
  const rule = FAIL_ON_CHECKS.find((r) => r === text.toLowerCase());
  if (!rule) throw new UserError(`--fail-on-checks ${text}: expected error (failed ERROR checks fail the run, the default), warn (WARN ones too) or none`);
  return rule;
}
