/**
 * Throttles (TooManyRequestsException: the function's reserved concurrency, or the account's, is used up) are
 * retried by pipes, not by the SDK, so each is counted and reported: exponential backoff with full jitter, as AWS
 * recommends, up to a bound. A throttled Invoke ran nothing, so retrying it is safe. Pure.
 */
export const THROTTLE_RETRIES = 20;
const BASE_MS = 100;
const CAP_MS = 10_000;

/** The wait before retry `attempt` (1-based): uniform in [BASE, min(CAP, BASE·2^attempt)]. */
export function throttleDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** attempt);
  return Math.round(BASE_MS + random() * (ceiling - BASE_MS));
}

export const isThrottle = (error: unknown): boolean => (error as { name?: string } | null)?.name === "TooManyRequestsException";

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/**
 * The SDK's retry strategy for the Lambda client: as its standard mode (3 attempts, backoff) for transient and
 * server errors, but a throttle is given back at once, for pipes to count and retry.
 */
export function retryAllButThrottles(maxAttempts = 3) {
  const token = (count: number, delay: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });
  return {
    mode: "standard",
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: { errorType?: string; error?: unknown }) => {
      const count = previous.getRetryCount() + 1;
      const retryable = info.errorType === "TRANSIENT" || info.errorType === "SERVER_ERROR";
      if (!retryable || count >= maxAttempts) throw info.error ?? new Error("no retry");
      return token(count, Math.round(Math.random() * Math.min(20_000, 100 * 2 ** count)));
    },
    recordSuccess: () => {},
  };
}
