/**
 * Deletions still allowed in one run (`MAX_DELETES_PER_RUN`): a sweep's, or an events invocation's,
 * whose merged passes share it so one batch cannot delete more than one run may.
 */
export class DeleteBudget {
  public constructor(private left: number) {}

  /** Deletions still allowed. */
  public get remaining(): number {
    return this.left;
  }

  /** Count one deletion (or, in dry-run, one that would happen). */
  public spend(): void {
    this.left -= 1;
  }
}
