// Loads a framework module (plain browser JS) into a test. Dynamic import with a
// computed path keeps TypeScript from demanding declaration files for .js code.
import path from 'node:path';

const FRAMEWORK = path.resolve(import.meta.dirname, '../../framework');

export function fw(rel: string): Promise<any> {
  return import(path.join(FRAMEWORK, rel));
}
