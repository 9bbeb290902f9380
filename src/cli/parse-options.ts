import { UserError } from "../errors.js";

/** `--concurrency <n>`: a whole number ≥ 1. */
export function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--concurrency ${text} must be a whole number ≥ 1.`);
  return n;
}
