// Where the play-test task plays a deployed game: the URL template, which serving a
// URL is, the sandboxed /play/N/ variant beside a locally served slot, and the config knobs.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.ts';
import { playtestTargets, playtestUrl, servingOf } from '../lib/playtest/playtest-job.ts';

describe('where the play-tester goes', () => {
  it('opens the public URL unless PLAYTEST_URL says otherwise, and knows the sandboxed serving', () => {
    expect(playtestUrl({ PLAYTEST_URL: undefined }, 3, 'https://gamedemo3.example.com')).toBe(
      'https://gamedemo3.example.com',
    );
    expect(playtestUrl({ PLAYTEST_URL: 'http://gamedemo{slot}:8080/' }, 3, 'https://x')).toBe('http://gamedemo3:8080/');
    expect(servingOf('http://127.0.0.1:3000/play/3/').mode).toBe('sandboxed');
    expect(servingOf('http://gamedemo3.localhost:3000/').mode).toBe('own-origin');
  });

  it('plays a locally served slot on its own origin and sandboxed under /play/N/ on the same server', () => {
    const none = { PLAYTEST_URL: undefined };
    expect(playtestTargets(none, 'local', 3, 'http://gamedemo3.localhost:3000/')).toEqual([
      { mode: 'own-origin', url: 'http://gamedemo3.localhost:3000/' },
      { mode: 'sandboxed', url: 'http://localhost:3000/play/3/' },
    ]);
    expect(playtestTargets(none, 'local', 12, 'https://gamedemo12.games.example.com/')).toEqual([
      { mode: 'own-origin', url: 'https://gamedemo12.games.example.com/' },
      { mode: 'sandboxed', url: 'https://games.example.com/play/12/' },
    ]);
    // PUBLIC_URL set: the game is served sandboxed only, and that is what is played.
    expect(playtestTargets(none, 'local', 3, 'https://games.example.com/play/3/')).toEqual([
      { mode: 'sandboxed', url: 'https://games.example.com/play/3/' },
    ]);
    // The docker deployer's slots are containers: there is no /play/N/ beside them.
    expect(playtestTargets(none, 'docker', 3, 'https://gamedemo3.example.com/')).toEqual([
      { mode: 'own-origin', url: 'https://gamedemo3.example.com/' },
    ]);
    expect(playtestTargets({ PLAYTEST_URL: 'http://gamedemo{slot}:8080/' }, 'local', 3, 'https://x/')).toEqual([
      { mode: 'own-origin', url: 'http://gamedemo3:8080/' },
    ]);
  });

  it('validates PLAYTEST and PLAYTEST_URL', () => {
    expect(loadConfig({}).PLAYTEST).toBe('on');
    expect(() => loadConfig({ PLAYTEST: 'maybe' })).toThrow(/PLAYTEST/);
    expect(() => loadConfig({ PLAYTEST_URL: 'http://gamedemo.example.com/' })).toThrow(
      /PLAYTEST_URL: must be `container` or an http\(s\) URL template containing \{slot\}/,
    );
    expect(loadConfig({ PLAYTEST_URL: '' }).PLAYTEST_URL).toBeUndefined();
    expect(loadConfig({ PLAYTEST_URL: 'container' }).PLAYTEST_URL).toBe('container');
    // What docker-compose v1 made of `${PLAYTEST_URL:-http://gamedemo{slot}/}` with PLAYTEST_URL set.
    expect(() => loadConfig({ PLAYTEST_URL: 'http://gamedemo{slot}//}' })).toThrow(/no other braces/);
  });

  it("`container`: the deployer's own address for the slot; without one, the public URL", () => {
    const internal = (slot: number) => `http://gamedemo${slot}/`;
    expect(playtestUrl({ PLAYTEST_URL: 'container' }, 3, 'https://gamedemo3.example.com', internal)).toBe(
      'http://gamedemo3/',
    );
    expect(playtestUrl({ PLAYTEST_URL: 'container' }, 3, 'https://gamedemo3.example.com')).toBe(
      'https://gamedemo3.example.com',
    );
    expect(playtestTargets({ PLAYTEST_URL: 'container' }, 'docker', 3, 'https://gamedemo3.x/', internal)).toEqual([
      { mode: 'own-origin', url: 'http://gamedemo3/' },
    ]);
  });
});
