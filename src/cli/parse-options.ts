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
