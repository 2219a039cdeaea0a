import { execFile } from 'node:child_process';
import type { Logger } from '../shared/log.js';

/** A state change the service manager is told about (sd_notify(3)). */
export type ServiceState = 'READY=1' | 'STOPPING=1';

/**
 * Tells systemd (a `Type=notify` unit with `NotifyAccess=all`) that the service is ready or stopping.
 * Node cannot send on a unix datagram socket, so `systemd-notify` sends it; it waits until the
 * manager has read the message. Does nothing when NOTIFY_SOCKET is unset (not started by systemd);
 * a failure is logged, never thrown: the service keeps running, and systemd times out its start.
 */
export function notifyService(state: ServiceState, status: string, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!env.NOTIFY_SOCKET) return Promise.resolve();
  return new Promise((resolve) => {
    execFile('systemd-notify', [state, `STATUS=${status}`], { env, timeout: 10_000 }, (error, _stdout, stderr) => {
      if (error) log.warn('cannot notify the service manager', { state, error: (stderr.trim() || error.message).slice(0, 200) });
      resolve();
    });
  });
}
