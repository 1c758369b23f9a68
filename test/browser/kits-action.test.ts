// Real-Chromium checks for the reflex kits (one browser for the file).
import { describeKits } from './kit-suite.ts';

describeKits(['arena-shooter', 'breakout', 'runner']);
