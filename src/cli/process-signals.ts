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
