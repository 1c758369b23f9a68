// Real-Chromium checks for the planning kits (one browser for the file).
import { describeKits } from './kit-suite.ts';

describeKits(['tower-defense', 'snake', 'idle']);
