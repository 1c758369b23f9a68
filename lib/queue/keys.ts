// Job keys: the one format of graphile-worker `job_key`s. A key names the step
// of a GamePocGen job, so the same step is never queued twice and "is anything
// left for job N" is a prefix match. migrations/002_generate_game.sql builds the
// phase-1 key in SQL (`'job:' || id || ':phase:1'`) in this same format.
//
//   job:<jobId>:phase:<n>          run-phase
//   job:<jobId>:phase:5:repair:<k> run-phase 5, repair k of the repair loop
//   job:<jobId>:deploy             deploy-game
//   job:<jobId>:rollback:<round>   deploy-game of the best version after round <round> was rolled back
//   job:<jobId>:playtest:<round>   playtest-game (round k + 1 follows repair k)
//   slot:<slot>:remove:<jobId>     remove-game (about the slot, not the job's chain)
//   slots:reconcile                reconcile-slots (at most one queued)

export const jobKeys = {
  phase: (jobId: number, phase: number) => `job:${jobId}:phase:${phase}`,
  repair: (jobId: number, repair: number) => `job:${jobId}:phase:5:repair:${repair}`,
  deploy: (jobId: number) => `job:${jobId}:deploy`,
  rollback: (jobId: number, afterRound: number) => `job:${jobId}:rollback:${afterRound}`,
  playtest: (jobId: number, round: number) => `job:${jobId}:playtest:${round}`,
  removeGame: (slot: number, jobId: number) => `slot:${slot}:remove:${jobId}`,
  reconcileSlots: 'slots:reconcile',
  /** A LIKE pattern matching every step of one job's chain. */
  anyStepOf: (jobId: number) => `job:${jobId}:%`,
};
