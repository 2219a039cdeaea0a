import { app } from 'electron';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { SpanwiseError } from '../../agent/shared/errors.js';
import { resolveDataDir } from '../services/paths.js';

/** The app's data dir, created if needed: `SPANWISE_HOME` when set, else Electron's userData folder. */
export function appDataDir(): string {
  const dir = process.env.SPANWISE_HOME ? resolveDataDir() : app.getPath('userData');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new SpanwiseError(
      'DATA_DIR_UNUSABLE',
      `the data dir ${dir} cannot be used: ${(error as Error).message}`,
      'make it a folder you can write to, or set SPANWISE_HOME to another folder',
    );
  }
  return dir;
}
