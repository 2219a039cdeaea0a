// FAKE ELECTRON, for tests only. Loaded with `node --import` before the built main process: maps the
// bare specifier 'electron' to this folder's stand-in, and this folder's `.js` imports to their `.ts`
// files (Node strips the types), so the built main runs in plain Node with no Electron binary.
import { registerHooks } from 'node:module';

const here = new URL('./', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: new URL('electron.ts', here).href, format: 'module-typescript', shortCircuit: true };
    if (context.parentURL?.startsWith(here) && specifier.startsWith('./') && specifier.endsWith('.js')) {
      return { url: new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL).href, format: 'module-typescript', shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});
