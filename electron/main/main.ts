import { app } from 'electron';
import { startDesktop } from './desktop.js';
import { failStartup } from './startup-error.js';

// The Electron main process. A second launch must not open the services: it hands over to the first instance and quits.

if (app.requestSingleInstanceLock()) startDesktop().catch(failStartup);
else app.quit();
