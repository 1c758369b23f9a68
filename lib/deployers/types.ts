// The deployer contract: where a game is served. The slot pool (Postgres)
// decides *which* slot; a deployer makes slot N serve a directory of files.

export interface PublishRequest {
  slot: number;
  jobId: number;
  /** Directory holding the game's dist/ contents (index.html at its root). */
  sourceDir: string;
}

export interface Deployer {
  readonly name: 'local' | 'docker';
  /** Atomically replaces what slot N serves; returns the public URL. */
  publish(request: PublishRequest): Promise<{ url: string }>;
  /** Stops serving slot N (its files are removed). */
  unpublish(slot: number): Promise<void>;
  urlFor(slot: number): string;
  /** The slot's address from another container on the deployer's network (docker: `http://gamedemoN:<port>/`). */
  internalUrl?(slot: number): string;
  describe(): string;
  /**
   * Why slot N does not serve `jobId` right now (its container is missing, stopped or labelled for another
   * job; its files are gone), or null when it does. The reconciler (lib/slot-reconcile.ts) restores the slot
   * from the stored release when this says so.
   */
  check(slot: number, jobId: number): Promise<string | null>;
}
