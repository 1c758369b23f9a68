// Fixture games that fail before or while they load (see fixture-suite.ts).
import { describeFixtures } from './fixture-suite.ts';

describeFixtures(['throws-first-frame', 'blank-canvas', 'external-url', 'loading-stuck', 'text-only', 'inline-script']);
