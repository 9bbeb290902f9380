// Where each segment of a partitioned asset's health bar goes. Pure: graph.ts draws them.

export type HealthState = "materialized" | "failed" | "missing";

export interface Segment {
  state: HealthState;
  count: number;
  x: number;
  width: number;
}

/**
 * The segments of a bar `width` px long, in the order of `counts`, one per state with partitions. Each gets a pixel
 * first, and the rest of the bar by its share: one failed partition of 10,000 still shows, and the segments end at
 * the bar's end (a pixel added to each in turn, after the share, pushed the last one past it).
 */
export function healthSegments(counts: Record<HealthState, number>, width: number): Segment[] {
  const present = (Object.entries(counts) as Array<[HealthState, number]>).filter(([, n]) => n > 0);
  const total = present.reduce((sum, [, n]) => sum + n, 0);
  const spare = Math.max(0, width - present.length);
  let x = 0;
  return present.map(([state, count]) => {
    const segment = { state, count, x, width: 1 + (count / total) * spare };
    x += segment.width;
    return segment;
  });
}
