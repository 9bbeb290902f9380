/**
 * The code folders of replaced or deleted uploads: each is removed once no worker runs from it any more, so
 * repeated UpdateFunctionCode calls do not grow the emulator's temp folder. Removal runs off the event loop.
 */
import { rm } from "node:fs/promises";
import { sep } from "node:path";

export class RetiredCode {
  private readonly waiting = new Set<string>();

  constructor(
    /** Only folders under it are the emulator's to remove (a definitions file's function runs from the project). */
    private readonly codeDir: string,
    private readonly inUse: (root: string) => boolean,
  ) {}

  /** The folder no longer holds a function's current code. */
  retire(root: string): void {
    if (!root.startsWith(this.codeDir + sep)) return;
    this.waiting.add(root);
    this.sweep();
  }

  /** Removes a folder now (an upload that failed). */
  drop(root: string): Promise<void> {
    return rm(root, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }

  /** Removes the retired folders no worker runs from (called whenever a worker goes). */
  sweep(): void {
    for (const root of this.waiting) {
      if (this.inUse(root)) continue;
      this.waiting.delete(root);
      void this.drop(root);
    }
  }
}
