/**
 * What a sandbox writes while no invocation runs (work its handler left behind, before it is frozen): held for
 * the next invocation's log, as a thawed Lambda sandbox shows it after that invocation's START line. Bounded,
 * so an idle worker cannot grow the emulator: 1,000 lines of up to 8 KB, the rest counted.
 */
const MAX_LINES = 1000;
const MAX_LINE = 8192;

export class HeldOutput {
  private lines: string[] = [];
  private dropped = 0;

  hold(line: string): void {
    if (this.lines.length < MAX_LINES) this.lines.push(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);
    else this.dropped++;
  }

  /** The held lines (and a line saying how many were dropped), emptied. */
  take(): string[] {
    const lines = this.lines;
    if (this.dropped > 0) lines.push(`pipes emulator: ${this.dropped} more lines written between invocations were dropped (at most ${MAX_LINES} are kept)`);
    this.lines = [];
    this.dropped = 0;
    return lines;
  }
}
