// Fixture games that break during play or where they are served, and the good
// free-form game without window.__game that must pass (see fixture-suite.ts).
import { describeFixtures } from './fixture-suite.ts';

describeFixtures(['crash-10s', 'instant-death', 'sandbox-storage', 'good-freeform']);
