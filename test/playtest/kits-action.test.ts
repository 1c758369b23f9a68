// The action kits' games must pass the judge (see kit-suite.ts).
import { describeKits } from './kit-suite.ts';

describeKits(['arena-shooter', 'runner', 'breakout']);
