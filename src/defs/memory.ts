/** Parses `512`, `"512"`, `"512MB"`, `"2GB"`, `"1.5 GB"` into whole MB; undefined when it cannot. */
export function parseMemory(input: number | string): number | undefined {
  if (typeof input === "number") return Number.isInteger(input) ? input : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(mb|m|gb|g)?\s*$/i.exec(input);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const mb = /^g/i.test(match[2] ?? "") ? amount * 1024 : amount;
  return Number.isInteger(mb) ? mb : undefined;
}
