// How a group relates to the group in flight before it. On PostgreSQL two groups overlap (the next one
// is prepared and sends its events INSERT on another connection while the previous one is still writing
// and committing). These rules keep that equal to running them one after the other:
// - the next group's user and session upserts go out only once the previous group's writes are done:
//   it then waits behind rows the previous group locked, never the other way round;
// - statements that must see the previous group's rows (merge rewrites, rage back-flags) wait for its commit;
// - a group commits only after the previous one committed, and rolls back if that one rolled back.
// Event ids of the previous group are known in memory (EnvState.inFlightEventIds), so a repeated id is
// dropped as a duplicate instead of waiting on the other group's uncommitted row.

export class PreviousGroupFailed extends Error {
  constructor() {
    super("the previous ingest group rolled back; this one is rolled back and retried");
  }
}

export class GroupOrder {
  private readonly writesDone = Promise.withResolvers<void>();
  private readonly outcome = Promise.withResolvers<boolean>();

  /** `previous`: the group still in flight when this one started, if any. */
  constructor(private previous: GroupOrder | null = null) {}

  /** Resolves once the previous group's write statements have completed (it holds their row locks). */
  async previousWrote(): Promise<void> {
    await this.previous?.writesDone.promise;
  }

  /** Resolves once the previous group committed; throws PreviousGroupFailed if it rolled back. */
  async previousCommitted(): Promise<void> {
    if (this.previous && !(await this.previous.outcome.promise)) throw new PreviousGroupFailed();
  }

  /** This group's write statements have completed. */
  wrote(): void {
    this.writesDone.resolve();
  }

  /** This group committed (true) or rolled back (false). */
  settle(committed: boolean): void {
    this.writesDone.resolve();
    this.outcome.resolve(committed);
    this.previous = null; // settled groups keep no chain of predecessors alive
  }
}
