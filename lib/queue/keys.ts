// Job keys: the one format of graphile-worker `job_key`s. A key names the step
// of a GamePocGen job, so the same step is never queued twice and "is anything
// left for job N" is a prefix match. migrations/002_generate_game.sql builds the
// phase-1 key in SQL (`'job:' || id || ':phase:1'`) in this same format.
//
//   job:<jobId>:phase:<n>          run-phase
//   job:<jobId>:deploy             deploy-game
//   job:<jobId>:playtest:<round>   playtest-game (round 2 follows the repair)
//   slot:<slot>:remove:<jobId>     remove-game (about the slot, not the job's chain)

export const jobKeys = {
  phase: (jobId: number, phase: number) => `job:${jobId}:phase:${phase}`,
  deploy: (jobId: number) => `job:${jobId}:deploy`,
  playtest: (jobId: number, round: number) => `job:${jobId}:playtest:${round}`,
  removeGame: (slot: number, jobId: number) => `slot:${slot}:remove:${jobId}`,
  /** A LIKE pattern matching every step of one job's chain. */
  anyStepOf: (jobId: number) => `job:${jobId}:%`,
};
