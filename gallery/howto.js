// A game's "How to play" page, written from its idea and design artifacts (as text).
import { el } from './common.js';

const $ = (id) => document.getElementById(id);
const id = Number(location.pathname.split('/')[2]);

async function artifact(path) {
  const res = await fetch(`/api/jobs/${id}/artifacts/${path}`);
  if (!res.ok) return null;
  try {
    return JSON.parse(await res.text());
  } catch {
    return null;
  }
}

async function main() {
  const [jobRes, idea, design] = await Promise.all([
    fetch(`/api/jobs/${id}`),
    artifact('idea.json'),
    artifact('design.json'),
  ]);
  if (!jobRes.ok || !idea) {
    $('state').textContent = jobRes.status === 404 ? `There is no game ${id}.` : 'This game has no idea written yet.';
    return;
  }
  const { job } = await jobRes.json();
  document.title = `How to play ${idea.title} — GamePocGen`;
  $('title').textContent = `How to play ${idea.title}`;
  $('pitch').textContent = idea.pitch;
  const playUrl = job.status === 'deployed' ? job.url : job.archiveUrl;
  $('play').replaceChildren(
    el('a', { className: 'button', href: playUrl, target: '_blank', rel: 'noopener' }, 'Play'),
    el('a', { href: `/jobs/${id}` }, 'Details'),
  );
  $('controls').replaceChildren(
    el('tr', {}, el('th', {}, 'input'), el('th', {}, 'does')),
    ...(idea.controls ?? []).map((c) => el('tr', {}, el('td', {}, c.input), el('td', {}, c.action))),
  );
  $('loop').replaceChildren(...(idea.coreLoop ?? []).map((s) => el('li', {}, s)));
  $('goals').replaceChildren(
    ...(design ? [el('li', {}, `Win: ${design.winCondition}`), el('li', {}, `Lose: ${design.loseCondition}`)] : []),
  );
  $('upgrades').replaceChildren(
    ...(design?.progression?.upgrades ?? []).map((u) => el('li', {}, `${u.name}: ${u.effect}`)),
  );
  $('state').hidden = true;
  $('howto').hidden = false;
}

main().catch((e) => ($('state').textContent = `Could not load: ${e.message}`));
