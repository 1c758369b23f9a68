// A game's pause screen links to its How to play page, worked out from where the
// game is served (slot origin, archive origin, or their same-origin paths); a
// game served anywhere else shows no link.
import { describe, expect, it } from 'vitest';
import { FakeDocument, FakeElement } from './fake-dom.ts';
import { fw } from './load.ts';

const { howToPlayUrl } = await fw('ui/how-to-play-link.js');
const { createOverlay } = await fw('ui/overlay.js');
const { showPauseScreen } = await fw('ui/screens.js');

const at = (url: string) => {
  const u = new URL(url);
  return { protocol: u.protocol, host: u.host, pathname: u.pathname };
};

describe('howToPlayUrl', () => {
  it.each([
    ['http://gamedemo3.localhost:3000/', 'http://localhost:3000/slots/3/how-to-play'],
    ['https://gamedemo0.games.example.com/index.html', 'https://games.example.com/slots/0/how-to-play'],
    ['http://game-42.localhost:3000/', 'http://localhost:3000/jobs/42/how-to-play'],
    ['https://game-7.example.com/', 'https://example.com/jobs/7/how-to-play'],
    ['http://localhost:3000/play/4/', '/slots/4/how-to-play'],
    ['https://games.example.com/archive/12/index.html', '/jobs/12/how-to-play'],
  ])('%s → %s', (url, expected) => {
    expect(howToPlayUrl(at(url))).toBe(expected);
  });

  it.each([
    'http://127.0.0.1:41234/', // a play-test or test server
    'http://localhost:3000/', // the gallery itself
    'http://gamedemo.localhost/', // no slot number
    'http://xgamedemo3.localhost/',
    'file:///tmp/dist/index.html',
  ])('%s → no link', (url) => {
    expect(howToPlayUrl(at(url))).toBeNull();
  });
  it('no location (a fake DOM) → no link', () => expect(howToPlayUrl(undefined)).toBeNull());
});

describe('the pause screen', () => {
  const config = { controls: [{ input: 'P', action: 'pause' }] };
  const pause = (howToPlay: string | null) => {
    const overlay = createOverlay(new FakeDocument(), new FakeElement('div'));
    showPauseScreen(overlay, config, { onResume() {}, onRestart() {}, howToPlay });
    return overlay.root.findAll('a') as FakeElement[];
  };

  it('links to How to play in a new tab when the page is on another origin', () => {
    const [link, ...rest] = pause('http://localhost:3000/slots/3/how-to-play');
    expect(rest).toEqual([]);
    expect(link!.textContent).toBe('How to play');
    expect(link!.getAttribute('href')).toBe('http://localhost:3000/slots/3/how-to-play');
    expect(link!.getAttribute('target')).toBe('_blank');
    expect(link!.getAttribute('rel')).toBe('noopener');
  });

  it('a same-origin path opens in the tab (a sandboxed page may not open others)', () => {
    const [link] = pause('/slots/3/how-to-play');
    expect(link!.getAttribute('href')).toBe('/slots/3/how-to-play');
    expect(link!.getAttribute('target')).toBeNull();
  });

  it('shows no link when the page is unknown', () => {
    expect(pause(null)).toEqual([]);
  });
});
