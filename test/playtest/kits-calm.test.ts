// The strategy, puzzle and idle kits' games must pass the judge (see kit-suite.ts).
import { describeKits } from './kit-suite.ts';

describeKits(['tower-defense', 'snake', 'idle']);
