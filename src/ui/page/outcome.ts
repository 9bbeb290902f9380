// Outcome symbols, the same as the terminal's (`pipes runs`, the run report): a symbol and a word, never colour alone.

/** Assets the live stream says are running now (`pipes dev --ui`); the graph reads it at each render. */
export const running = new Set<string>();

const STEP: Record<string, { mark: string; tone: string }> = {
  materialized: { mark: "✔", tone: "ok" },
  failed: { mark: "✖", tone: "fail" },
  skipped: { mark: "↷", tone: "warn" },
  interrupted: { mark: "⊘", tone: "warn" },
  running: { mark: "●", tone: "live" },
  never: { mark: "○", tone: "muted" },
};

/** A step's (or an asset's last) outcome: materialized, failed, skipped, interrupted, running, never. */
export const stepMark = (status: string): { mark: string; tone: string } => STEP[status] ?? { mark: "?", tone: "muted" };

const RUN: Record<string, { mark: string; tone: string }> = {
  ok: { mark: "✔", tone: "ok" },
  failed: { mark: "✖", tone: "fail" },
  interrupted: { mark: "⊘", tone: "warn" },
  unfinished: { mark: "…", tone: "warn" },
};

/** A run's outcome, as `pipes runs` marks it (src/report/history.ts). */
export const runMark = (outcome: string): { mark: string; tone: string } => RUN[outcome] ?? { mark: "?", tone: "muted" };
export const RUN_OUTCOMES = Object.keys(RUN);
