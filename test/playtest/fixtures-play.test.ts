// Fixture games that load but are not games a player can play (see fixture-suite.ts).
import { describeFixtures } from './fixture-suite.ts';

describeFixtures(['ignores-input', 'no-goal', 'undocumented-controls', 'noise-fake-game']);
