/**
 * Asset checks declared in the definitions file: `checks: ["no_nulls", { name: "fresh", blocking: true }]`, as
 * Dagster's AssetCheckSpec (name, description, blocking). A declared check is listed by `pipes list`, and one the
 * function never reported is itself reported. Pure.
 */
import { isObject, kindOf } from "../util/values.js";
import { didYouMean } from "../util/suggest.js";

export interface AssetCheckInput {
  name: string;
  description?: string;
  /** A failed ERROR-severity result (or none at all) skips the asset's dependents, as Dagster's blocking checks. */
  blocking?: boolean;
}

export type ChecksInput = Array<string | AssetCheckInput>;

export interface AssetCheck {
  name: string;
  description: string | null;
  blocking: boolean;
}

/** Dagster's rule for check names (as for asset key parts). */
const CHECK_NAME = /^[A-Za-z0-9_]+$/;
const FIELDS = ["name", "description", "blocking"];

export function validateChecks(input: unknown, report: (message: string) => void): AssetCheck[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    report(`checks must be an array of check names or { name, description, blocking }, got ${kindOf(input)}`);
    return [];
  }
  const checks: AssetCheck[] = [];
  for (const [i, entry] of input.entries()) {
    const spec = typeof entry === "string" ? { name: entry } : entry;
    if (!isObject(spec)) {
      report(`checks[${i}] must be a check name or { name, description, blocking }, got ${kindOf(entry)}`);
      continue;
    }
    for (const k of Object.keys(spec)) if (!FIELDS.includes(k)) report(`checks[${i}]: unknown field "${k}"${didYouMean(k, FIELDS)}`);
    const { name, description, blocking } = spec as Record<string, unknown>;
    if (typeof name !== "string" || !CHECK_NAME.test(name)) {
      report(`checks[${i}]: name must be letters, digits and underscores, got ${typeof name === "string" ? JSON.stringify(name) : kindOf(name)}`);
      continue;
    }
    if (description !== undefined && typeof description !== "string") report(`check ${name}: description must be a string`);
    if (blocking !== undefined && typeof blocking !== "boolean") report(`check ${name}: blocking must be true or false`);
    if (checks.some((c) => c.name === name)) {
      report(`check ${name} is declared twice`);
      continue;
    }
    checks.push({ name, description: typeof description === "string" ? description : null, blocking: blocking === true });
  }
  return checks;
}
