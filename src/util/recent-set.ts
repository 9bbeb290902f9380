/**
 * The most recently added values, at most `limit` of them, kept in two generations: when the current one is
 * half full it becomes the previous one and the oldest generation is dropped. Every operation is O(1). (A Set
 * trimmed by deleting its first value is not: V8 leaves a hole per deleted entry at the front, and each trim
 * walks over all of them, so a long backfill paid more per invocation the longer it ran.) Pure.
 */
export class RecentSet<T> {
  private current = new Set<T>();
  private previous = new Set<T>();
  private readonly generation: number;

  constructor(limit: number) {
    this.generation = Math.max(1, Math.floor(limit / 2));
  }

  add(value: T): void {
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(value);
  }

  has(value: T): boolean {
    return this.current.has(value) || this.previous.has(value);
  }
}
