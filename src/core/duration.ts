const UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Reads a duration the way the CLI flags and action inputs take it: `30s`,
 * `500ms`, `2min`, `1.5s`; a bare number is seconds. Returns milliseconds,
 * or undefined when the text is none of these.
 */
export function parseDuration(raw: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  if (!match) return undefined;
  const unit = UNITS[(match[2] || 's').toLowerCase()];
  if (unit === undefined) return undefined;
  const ms = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(ms) && ms <= 2_147_483_647 ? ms : undefined;
}

/** `850 ms`, `4.20 s`, `10 min`, `2 min 30 s`: how every front end shows a duration. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : seconds === 60 ? `${minutes + 1} min` : `${minutes} min ${seconds} s`;
}
