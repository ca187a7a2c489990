/**
 * Progress of `npm run repro` on stderr. On a terminal: one live line at the
 * bottom (what is running, done of total, elapsed) redrawn in place with \r,
 * and only the lines worth keeping (finished cells and measurements,
 * warnings) scrolled above it. Anywhere else (CI logs, a pipe): every
 * message as a plain line, as before. Hand-written: a live line is a dozen
 * lines of \r and ANSI "erase line", not worth a dependency.
 */

export interface ProgressStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** A line to keep (a finished cell, a warning). */
  line(message: string): void;
  /** Chatter from the battery: kept as a line when not on a terminal, shown in the live line on one. */
  note(message: string): void;
  /** A new phase: `total` items to do, the live line counts them. */
  phase(name: string, total: number): void;
  /** The measurements that follow the cells: the live line switches to them at the first one announced. */
  expectMeasurements(total: number): void;
  /** One item of the phase done. */
  step(): void;
  /** Text someone else wrote to the same stream: written above the live line, not into it. */
  passThrough(text: string): void;
  /** Erase the live line and stop redrawing it. */
  stop(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ERASE_LINE = '\r\u001b[2K';

/** What run-measurements announces, in its own words: a start, an end, or a measurement left out. */
const MEASUREMENT_START = /^measuring (\S+?)(?: \(quick\))?…$/;
const MEASUREMENT_END = /^measured (\S+) in /;
const MEASUREMENT_SKIPPED = /^(\S+): not applicable to /;

export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds < 60 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** The live line's text, without the spinner: pure, for the tests. */
export function statusText(state: { phase: string; done: number; total: number; running: readonly string[]; last?: string; elapsedMs: number }): string {
  const now = state.running.length ? state.running.join(', ') : (state.last ?? '');
  return `${state.phase} ${state.done}/${state.total} · ${formatElapsed(state.elapsedMs)}${now ? ` · ${now}` : ''}`;
}

export function createProgress(stream: ProgressStream, options: { tty?: boolean; now?: () => number; redrawMs?: number } = {}): Progress {
  const tty = options.tty ?? stream.isTTY === true;
  const now = options.now ?? (() => performance.now());
  const started = now();
  if (!tty) {
    return { line: (m) => void stream.write(`${m}\n`), note: (m) => void stream.write(`  … ${m}\n`), phase: () => undefined, expectMeasurements: () => undefined, step: () => undefined, passThrough: (t) => void stream.write(t), stop: () => undefined };
  }

  let phase = '';
  let done = 0;
  let total = 0;
  let last: string | undefined;
  const running = new Set<string>();
  let measurementsTotal: number | undefined;
  let frame = 0;
  let shown = false;
  const draw = () => {
    if (!phase) return;
    const text = `${SPINNER[frame++ % SPINNER.length]} ${statusText({ phase, done, total, running: [...running], last, elapsedMs: now() - started })}`;
    const width = Math.max(20, (stream.columns || 80) - 1);
    // Never wider than the terminal: a wrapped line cannot be erased with \r.
    stream.write(`${ERASE_LINE}${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    shown = true;
  };
  const clear = () => {
    if (shown) stream.write(ERASE_LINE);
    shown = false;
  };
  const setPhase = (name: string, count: number) => {
    phase = name;
    done = 0;
    total = count;
    running.clear();
    last = undefined;
    draw();
  };
  const timer = setInterval(draw, options.redrawMs ?? 200);
  timer.unref();

  return {
    line(message) {
      clear();
      stream.write(`${message}\n`);
      draw();
    },
    note(message) {
      const start = MEASUREMENT_START.exec(message);
      const end = MEASUREMENT_END.exec(message) ?? MEASUREMENT_SKIPPED.exec(message);
      if ((start || end) && phase !== 'measurements' && measurementsTotal !== undefined) setPhase('measurements', measurementsTotal);
      if (start) running.add(start[1]!);
      else if (end && phase === 'measurements') {
        running.delete(end[1]!);
        done += 1;
        if (MEASUREMENT_END.test(message)) {
          clear();
          stream.write(`  ${message}\n`);
        }
      } else last = message;
      draw();
    },
    phase: setPhase,
    expectMeasurements(count) {
      measurementsTotal = count;
    },
    step() {
      done += 1;
      draw();
    },
    passThrough(text) {
      clear();
      stream.write(text);
      if (text.endsWith('\n')) draw();
    },
    stop() {
      clearInterval(timer);
      clear();
    },
  };
}
