/**
 * Splits a worker's output stream into lines. A worker ends each invocation's output with a fence token
 * (written by its bootstrap after the handler returns), so the emulator knows it has every line written
 * during the invocation before it writes END; the fence is removed from the output.
 */
export class LineSplitter {
  private partial = "";

  constructor(
    private readonly fence: string,
    private readonly onLine: (line: string) => void,
    private readonly onFence: () => void,
  ) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split("\n");
    this.partial = parts.pop()!;
    for (const part of parts) {
      if (part.endsWith(this.fence)) {
        const before = part.slice(0, -this.fence.length);
        if (before) this.onLine(before);
        this.onFence();
      } else {
        this.onLine(part);
      }
    }
  }

  /** The unterminated rest, e.g. when the process exits mid-line. */
  flush(): void {
    if (this.partial) this.onLine(this.partial);
    this.partial = "";
  }
}
