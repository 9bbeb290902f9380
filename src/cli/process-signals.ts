/** Runs `handler` on the first Ctrl-C (SIGINT) or SIGTERM; the returned function stops listening. */
export function onStopSignal(handler: () => void): () => void {
  const stop = () => {
    dispose();
    handler();
  };
  const dispose = () => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return dispose;
}

/**
 * A stop that can be forced: the first Ctrl-C (SIGINT) or SIGTERM runs `first` (end what runs, cleanly), a
 * second one runs `again` (leave at once). `trigger` does what a signal does, for a readline interface that
 * takes Ctrl-C itself on a terminal; `dispose` stops listening.
 */
export function onStopSignals(first: () => void, again: () => void): { trigger: () => void; dispose: () => void } {
  let stopped = false;
  const trigger = () => {
    if (stopped) return again();
    stopped = true;
    first();
  };
  process.on("SIGINT", trigger);
  process.on("SIGTERM", trigger);
  return {
    trigger,
    dispose: () => {
      process.off("SIGINT", trigger);
      process.off("SIGTERM", trigger);
    },
  };
}
