import { app } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SpanwiseError } from '../../agent/shared/errors.js';
import { resourceLayout, type ResourceLayout } from '../services/paths.js';

/** The resources of this run: the checkout Electron was started on, or the packaged app and its resources folder. */
export function appResources(): ResourceLayout {
  const layout = app.isPackaged
    ? resourceLayout({ packaged: true, appPath: app.getAppPath(), resourcesPath: process.resourcesPath })
    : resourceLayout({ packaged: false, root: app.getAppPath() });
  for (const [file, what] of [
    [join(layout.rendererDir, 'index.html'), 'the UI'],
    [layout.preloadPath, 'the preload script'],
  ] as const) {
    if (!existsSync(file)) {
      throw new SpanwiseError(
        'APP_NOT_BUILT',
        `${what} is missing (${file})`,
        app.isPackaged ? 'reinstall Spanwise' : 'run `npm run build`, then start the app again',
      );
    }
  }
  return layout;
}
