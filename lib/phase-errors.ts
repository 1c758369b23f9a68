// The errors a step of the task chain throws to tell the queue what happened: the runner
// stopped (return the step, no attempt counted), the phase process was killed from
// outside (retry it), or the job no longer exists.

/** A step interrupted by the runner's shutdown: it goes back to the queue without counting as an attempt. */
export class RunnerStoppingError extends Error {
  code = 'runner_stopping';
  constructor(message: string) {
    super(message);
    this.stack = ''; // an expected stop, not a crash: logged as one line
  }
}

/** The worker was killed from outside (not its own failure): the task throws it so the queue retries the phase. */
export class PhaseInterruptedError extends Error {
  code = 'phase_interrupted';
}

export class MissingJobError extends Error {
  code = 'job_not_found';
  constructor(jobId: number) {
    super(`job ${jobId} does not exist`);
  }
}
