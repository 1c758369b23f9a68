// What the judge compares a game with, from its idea and design (pure: the task reads them from the
// job's artifacts in expectations.ts, `gamepocgen playtest` from the files beside the game).
import type { Design, Idea } from '../artifacts.ts';
import type { JudgeExpectations } from './checks.ts';

/**
 * The design's keypoints; the title, the player's name and the currency; the palette's background (the colour the framework clears
 * the canvas with; entity colours cover too few cells to be among a picture's common colours). Pure.
 */
export function expectationsOf(idea: Idea | null, design: Design | null): JudgeExpectations {
  const names = design
    ? [design.title, design.entities.find((e) => e.role === 'player')?.name, design.progression.currency]
    : idea
      ? [idea.title]
      : [];
  const p = idea?.theme.palette;
  return {
    names: [...new Set(names.filter((n): n is string => !!n?.trim()))],
    palette: p ? [p.background] : [],
    keypoints: design?.keypoints ?? [],
  };
}
