import type { AppMode } from '../contract/index.js';
import { AppInfoService } from './app-info.js';
import { EventBus } from './events.js';
import { agentBundlePath } from './paths.js';

/** Everything the handlers delegate to; built once per backend process. */
export interface Services {
  events: EventBus;
  appInfo: AppInfoService;
}

/** Options that select the backend's state and how it is shown. */
export interface ServiceOptions {
  mode: AppMode;
  dataDir: string;
}

/** Builds the services with their dependencies. */
export function createServices(options: ServiceOptions): Services {
  return {
    events: new EventBus(),
    appInfo: new AppInfoService(options.mode, options.dataDir, agentBundlePath),
  };
}
