/** Invocations in flight by default: enough to fan out on Lambda, few enough for a laptop's emulator. */
export const DEFAULT_CONCURRENCY = 10;
