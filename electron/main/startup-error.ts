import { app, dialog } from 'electron';
import { toEnvelope } from '../../agent/shared/errors.js';

/** Shows why the app could not start (message and hint) and exits with status 1. */
export function failStartup(error: unknown): void {
  const { code, message, hint } = toEnvelope(error);
  console.error(`spanwise: start-up failed (${code}): ${message}${hint ? ` (${hint})` : ''}`);
  dialog.showErrorBox('Spanwise could not start', hint ? `${message}\n\nTo fix: ${hint}` : message);
  app.exit(1);
}
