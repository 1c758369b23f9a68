// A refused studio action (cancel, retry, feedback, restore…): a code, a status
// the HTTP layer answers with, and a message that says what to do instead.
export class StudioError extends Error {
  readonly status: 404 | 409 | 400;
  readonly code: string;
  readonly details: unknown;
  constructor(status: 404 | 409 | 400, code: string, message: string, details: unknown = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const jobNotFound = (jobId: number) => new StudioError(404, 'job_not_found', `job ${jobId} does not exist`);
