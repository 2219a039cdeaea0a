import type { Services } from '../services/index.js';
import type { Handlers } from './types.js';

/** Handlers of the settings domain. */
export function settingsHandlers({ settings }: Services): Pick<Handlers, 'settings:get' | 'settings:update'> {
  return {
    'settings:get': async () => settings.get(),
    'settings:update': async ({ settings: values, apply }) => settings.update(values, apply),
  };
}
