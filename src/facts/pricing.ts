/**
 * What an invocation costs on Lambda, on demand: its billed duration × its memory (GB-seconds) at the price of
 * its architecture, plus the price of a request. Prices are the first tier of AWS's published on-demand prices
 * (tiers start past 6 billion GB-seconds a month); the free tier is not taken off. Pure.
 */

export type Architecture = "x86_64" | "arm64";
export const ARCHITECTURES: readonly Architecture[] = ["x86_64", "arm64"];

interface Prices {
  perGbSecond: Record<Architecture, number>;
  perRequest: number;
}

/**
 * USD, from https://aws.amazon.com/lambda/pricing/ (read 2026-12-03). US East (N. Virginia)'s prices are those
 * of most regions; a region whose prices are not in this table is priced at them, and the cost says so.
 */
const US_EAST_1: Prices = { perGbSecond: { x86_64: 0.0000166667, arm64: 0.0000133334 }, perRequest: 0.2 / 1_000_000 };
const PRICES: Record<string, Prices> = { "us-east-1": US_EAST_1 };
const FALLBACK_REGION = "us-east-1";

/** The region whose prices apply: the function's own when the table has them, else us-east-1's. */
export const pricedRegion = (region: string | null): string => (region !== null && region in PRICES ? region : FALLBACK_REGION);

/** USD, at the prices of `pricedRegion(region)`. */
export function invocationCost(billing: { billedMs: number; memoryMb: number; architecture: Architecture; region: string | null }): number {
  const prices = PRICES[pricedRegion(billing.region)]!;
  const gbSeconds = (billing.memoryMb / 1024) * (billing.billedMs / 1000);
  return gbSeconds * prices.perGbSecond[billing.architecture] + prices.perRequest;
}

/** `$0.0000021`, `$0.031`, `$1.25`: two significant digits below a cent, cents above. */
export function formatUsd(usd: number): string {
  if (usd === 0) return "$0";
  if (usd >= 0.01) return `$${usd.toFixed(2)}`;
  const decimals = Math.min(12, 1 - Math.floor(Math.log10(usd)));
  return `$${usd.toFixed(decimals)}`;
}

/**
 * A run's cost as the summaries say it: `$0.0000042 on Lambda (us-east-1 prices)` for a run on the emulator (what
 * it would cost), `$0.0000042` on AWS; empty when nothing was billed (or the run was recorded before costs were).
 */
export function formatRunCost(run: { costUsd?: number; pricedAs?: string; target?: string }): string {
  if (typeof run.costUsd !== "number" || run.costUsd === 0) return "";
  return `${formatUsd(run.costUsd)}${run.target === "emulator" ? ` on Lambda (${run.pricedAs} prices)` : ""}`;
}
