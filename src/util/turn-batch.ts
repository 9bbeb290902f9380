/**
 * Text written once per turn of the event loop. A backfill emits many events in one turn (each invocation's end
 * brings several, and sixteen may end at once): one write per event is a system call each, the largest cost of
 * `--json` and of run history at 1,000 partitions. A turn's text is out before the next turn runs, so a process
 * killed with SIGKILL loses at most the events of the turn it was killed in.
 */
export class TurnBatch {
  private parts: string[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly write: (text: string) => void) {}

  add(text: string): void {
    this.parts.push(text);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Writes what is waiting now (before an exit, or when what follows must come after it). */
  flush(): void {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.write(text);
  }
}
