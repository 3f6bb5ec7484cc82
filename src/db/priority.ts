// PGlite is one backend: every query waits for the one before it. Ingest commits must not queue
// behind a pile of dashboard reads, so on PGlite all work passes one gate where writers marked
// with withWritePriority() go ahead of everything still waiting. (PostgreSQL has a pool: no-op.)
import { AsyncLocalStorage } from "node:async_hooks";

const writePriority = new AsyncLocalStorage<true>();

/** Runs fn with its database work ahead of queued reads (on PGlite). */
export function withWritePriority<T>(fn: () => Promise<T>): Promise<T> {
  return writePriority.run(true, fn);
}

export const hasWritePriority = (): boolean => writePriority.getStore() === true;

/** One holder at a time; urgent waiters are served before the rest, each group in arrival order. */
export class PriorityGate {
  private busy = false;
  private readonly urgent: (() => void)[] = [];
  private readonly normal: (() => void)[] = [];

  async run<T>(urgent: boolean, fn: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((wake) => (urgent ? this.urgent : this.normal).push(wake));
    else this.busy = true;
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  // PGlite runs a statement synchronously, so a chain of waiters handed the gate in microtasks would
  // starve timers and I/O — exactly where an ingest commit is about to ask for the gate. Before
  // handing it to an ordinary waiter, let one turn of the event loop pass so urgent arrivals queue first.
  private release(): void {
    const urgent = this.urgent.shift();
    if (urgent) return urgent();
    if (this.normal.length === 0) {
      this.busy = false;
      return;
    }
    setTimeout(() => (this.urgent.shift() ?? this.normal.shift())!(), 0);
  }
}

interface ExclusiveRunner {
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * PGlite's query(), exec() and transaction() all enter through _runExclusiveTransaction; putting
 * the gate in front of it orders every statement and transaction by priority.
 */
export function prioritiseWrites(pglite: object): void {
  const runner = pglite as ExclusiveRunner;
  const enter = runner._runExclusiveTransaction.bind(runner);
  const gate = new PriorityGate();
  runner._runExclusiveTransaction = (fn) => gate.run(hasWritePriority(), () => enter(fn));
}
