/** The parameters of the emulator's CloudWatch Logs API, checked as AWS checks them; tokens; errors. Pure. */

export type Params = Record<string, unknown>;

export class LogsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export function timeRange(p: Params): { startTime: number; endTime: number } {
  const startTime = optionalInt(p, "startTime", 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const endTime = optionalInt(p, "endTime", 0, Number.MAX_SAFE_INTEGER) ?? Number.MAX_SAFE_INTEGER;
  return { startTime, endTime };
}

export function paginate<T>(items: T[], p: Params, limit: number): { items: T[]; next: { nextToken?: string } } {
  const token = optionalString(p, "nextToken");
  const start = token === undefined ? 0 : Number(/^pipes-page:(\d+)$/.exec(Buffer.from(token, "base64").toString())?.[1] ?? Number.NaN);
  if (!Number.isInteger(start)) invalid("The specified nextToken is invalid.");
  const end = start + limit;
  return { items: items.slice(start, end), next: end < items.length ? { nextToken: Buffer.from(`pipes-page:${end}`).toString("base64") } : {} };
}

export function parseToken(token: string): { forward: boolean; seq: number } {
  const match = /^([fb])\/(\d{1,56})$/.exec(token);
  if (!match) invalid("The specified nextToken is invalid.");
  return { forward: match![1] === "f", seq: Number(match![2]) };
}

export function parseFilterToken(token: string): number {
  const seq = Number(/^pipes-filter:(\d+)$/.exec(Buffer.from(token, "base64").toString())?.[1] ?? Number.NaN);
  if (!Number.isSafeInteger(seq)) invalid("The specified nextToken is invalid.");
  return seq;
}

export function optionalString(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") invalid(`${key} must be a string`);
  return v as string;
}

export function requiredString(p: Params, key: string, pattern: RegExp): string {
  const v = optionalString(p, key);
  if (v === undefined) invalid(`1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
  if (!pattern.test(v!)) invalid(`1 validation error detected: Value at '${key}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`);
  return v!;
}

export function optionalInt(p: Params, key: string, min: number, max: number): number | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    invalid(`1 validation error detected: Value '${String(v).slice(0, 30)}' at '${key}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  }
  return v as number;
}

export function optionalBool(p: Params, key: string): boolean | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") invalid(`${key} must be a boolean`);
  return v as boolean;
}

export function invalid(message: string): never {
  throw new LogsError("InvalidParameterException", message);
}

export const pad = (n: number) => String(n).padStart(56, "0");
