/**
 * Kept for the page (src/ui/page imports formatUsd from here): prices are facts, written once in src/facts/pricing.ts.
 * Remove once the page imports src/facts/pricing.ts.
 */
export { formatUsd } from "../facts/pricing.js";
