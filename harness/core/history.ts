/**
 * Everything that happens in a run is an operation in a history, Jepsen
 * style: `invoke` when it starts, `ok` / `fail` when it ends, `info` for
 * what is neither (a fault injected, a process restarted). Checkers judge the
 * history afterwards; nothing decides a verdict while the run is going.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

export interface Operation {
  index: number;
  type: OpType;
  /** What was done: start_oauth, authorize, callback, jira_whoami, restart-callback, … */
  f: string;
  /** Who did it: `tool#1234`, `callback#1240`, `user-agent`, `nemesis`. */
  process: string;
  /** The flow this operation belongs to, when it belongs to one. */
  flow?: number;
  /** Milliseconds since the start of the history. */
  time: number;
  value?: unknown;
  error?: string;
}

export type OperationInput = Omit<Operation, 'index' | 'time'>;

export class History {
  readonly ops: Operation[] = [];
  private readonly origin = performance.now();
  private readonly sink: WriteStream | undefined;

  constructor(file?: string) {
    this.sink = file ? createWriteStream(file, { flags: 'a' }) : undefined;
  }

  record(op: OperationInput): Operation {
    const full: Operation = { index: this.ops.length, time: Number((performance.now() - this.origin).toFixed(3)), ...op };
    this.ops.push(full);
    this.sink?.write(`${JSON.stringify(full)}\n`);
    return full;
  }

  /** Records invoke, runs the action, records ok with its value or fail with its error. */
  async perform<T>(op: Omit<OperationInput, 'type'>, action: () => Promise<T>, describe?: (value: T) => unknown): Promise<T> {
    this.record({ ...op, type: 'invoke' });
    try {
      const value = await action();
      this.record({ ...op, type: 'ok', value: describe ? describe(value) : value });
      return value;
    } catch (error) {
      // An error may carry structured evidence (what the page said, say) for the checkers.
      const evidence = (error as { evidence?: unknown } | null)?.evidence;
      this.record({ ...op, type: 'fail', error: error instanceof Error ? error.message : String(error), ...(evidence === undefined ? {} : { value: evidence }) });
      throw error;
    }
  }

  async close(): Promise<void> {
    if (!this.sink) return;
    await new Promise<void>((resolve) => this.sink!.end(resolve));
  }
}
