/**
 * What commands print: human lines on stdout, or with --json one JSON document on stdout for
 * scripts. Progress (bars, waiting lines) goes to stderr, and only when stderr is a terminal, so CI
 * logs and captured output stay clean.
 */
export interface Out {
  json: boolean;
  /** A human line (skipped with --json). */
  line(text?: string): void;
  /** The command's result: JSON with --json, else the human lines given. */
  result(value: unknown, human: () => string[] | string): void;
  progress: Progress;
}

export function output(json: boolean, stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): Out {
  return {
    json,
    line: (text = "") => {
      if (!json) stdout.write(`${text}\n`);
    },
    result: (value, human) => {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else {
        const lines = human();
        stdout.write(`${(Array.isArray(lines) ? lines : [lines]).join("\n")}\n`);
      }
    },
    progress: new Progress(stderr),
  };
}

/** One status line redrawn in place on a terminal; silent elsewhere. */
export class Progress {
  readonly enabled: boolean;
  private shown = false;
  constructor(private readonly stream: NodeJS.WriteStream) {
    this.enabled = Boolean(stream.isTTY);
  }
  update(text: string) {
    if (!this.enabled) return;
    const width = this.stream.columns ? this.stream.columns - 1 : 100;
    this.stream.write(`\r\x1b[2K${text.slice(0, width)}`);
    this.shown = true;
  }
  /** Clears the line, so the next printed line starts clean. */
  clear() {
    if (!this.enabled || !this.shown) return;
    this.stream.write("\r\x1b[2K");
    this.shown = false;
  }
}

/** "[########----------------]": a fraction 0–1 as a bar of `width` cells. */
export function bar(fraction: number, width = 24): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"#".repeat(full)}${"-".repeat(width - full)}]`;
}

export function bytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** 75 → "1m15s"; 3725 → "1h02m". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Columns padded to their widest cell (the last column unpadded). */
export function table(rows: string[][], indent = "  "): string[] {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd());
}
