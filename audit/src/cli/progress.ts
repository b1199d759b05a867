/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, otherwise a line every 10 % (logs
 * and CI stay readable). stdout is left to the verdict.
 */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;
  const rate = (done: number) => Math.round(done / Math.max((performance.now() - started) / 1000, 0.001));
  return {
    update(done, total) {
      const fraction = total > 0 ? Math.min(done / total, 1) : 1;
      if (stream.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} · ${rate(done).toLocaleString('en-US')}/s `);
        drawn = true;
        return;
      }
      const decile = Math.floor(fraction * 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      stream.write(`${label}: ${decile * 10}% (${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')})\n`);
    },
    finish() {
      if (drawn) stream.write('\n');
    },
  };
}
