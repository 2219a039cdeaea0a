import { SpanwiseError, type ErrorEnvelope } from '../../../agent/shared/errors.js';
import type { MachineCheck, MachineTestResult, SshTarget } from '../../contract/machines.js';
import type { MachineCredentials } from '../machines/machine-service.js';
import { routeVia, type HostKeyStore } from './host-keys.js';
import { openMachineSession } from './machine-session.js';
import { runAsRoot } from './privileged.js';

/** What a connection test needs: the route, the credentials, and the trusted host keys. */
export interface ConnectionTest {
  name: string;
  machine: { ssh: SshTarget; jump: SshTarget[] };
  credentials: MachineCredentials;
  hostKeys: HostKeyStore;
  /** A fingerprint the user confirmed: trusted for the hop that presents it. */
  acceptHostKey?: string;
  readyTimeoutMs?: number;
  /** The most a test waits for the whole route to answer (a jump host may wait long on a dead target). */
  limitMs?: number;
}

/** The hop of the route an SSH error is about (0 = the outermost jump host), as the session tells it. */
const hopOf = (error: SpanwiseError, hops: number) => (typeof error.details?.hop === 'number' ? error.details.hop : hops - 1);

/** The check an error stopped at, and the form field that fixes it. */
function placeError(error: SpanwiseError, test: ConnectionTest): { check: MachineCheck; field: string } {
  const { jump } = test.machine;
  const hop = hopOf(error, jump.length + 1);
  const atJump = hop < jump.length;
  const auth = atJump ? (test.credentials.jump ?? test.credentials) : test.credentials;
  const authField = atJump && !test.credentials.jump ? `jump[${hop}]` : atJump ? 'jumpAuth' : 'auth';
  if (error.code.startsWith('HOST_KEY_')) return { check: 'hostKey', field: atJump ? `jump[${hop}]` : 'ssh.host' };
  if (error.code === 'SSH_AUTH_FAILED')
    return {
      check: 'login',
      field: auth.password ? `${authField}.password` : auth.identityFile ? `${authField}.identityFile` : atJump ? authField : 'ssh.user',
    };
  if (error.code === 'SSH_KEY_UNREADABLE')
    return { check: 'login', field: `${authField}.${/passphrase/i.test(error.message) ? 'passphrase' : 'identityFile'}` };
  const refused = /ECONNREFUSED|refused/i.test(error.message);
  return { check: 'reach', field: atJump ? `jump[${hop}]` : refused ? 'ssh.port' : 'ssh.host' };
}

const withField = (error: SpanwiseError, field: string): ErrorEnvelope => {
  const envelope = error.toEnvelope();
  return { ...envelope, details: { ...envelope.details, field } };
};

/** Connects like onboarding does (through the jump hosts), then asks sudo for a shell: what worked, and what to fix. */
export async function testConnection(test: ConnectionTest): Promise<MachineTestResult> {
  const started = performance.now();
  const checks: MachineTestResult['checks'] = [];
  const { ssh, jump } = test.machine;
  const target = { via: routeVia(jump), host: ssh.host, port: ssh.port };
  const done = (hostKey: MachineTestResult['hostKey'], error: ErrorEnvelope | null): MachineTestResult => ({
    machine: test.name,
    checks,
    hostKey,
    error,
    elapsedMs: Math.round(performance.now() - started),
  });
  let session;
  const opening = openMachineSession(test.machine, test.credentials, test.hostKeys, {
    decision: test.acceptHostKey ? { acceptFingerprint: test.acceptHostKey } : {},
    readyTimeoutMs: test.readyTimeoutMs ?? 8000,
  });
  let timer: NodeJS.Timeout | undefined;
  const limitMs = test.limitMs ?? 20_000;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      opening.then((s) => s.close()).catch(() => undefined);
      reject(
        new SpanwiseError(
          'SSH_UNREACHABLE',
          `no SSH answer from ${ssh.host}:${ssh.port} in ${Math.round(limitMs / 1000)} s`,
          'check the host and port, and that the jump host can reach it',
          { hop: jump.length },
        ),
      );
    }, limitMs);
  });
  try {
    session = await Promise.race([opening, late]);
  } catch (caught) {
    const error = caught instanceof SpanwiseError ? caught : new SpanwiseError('SSH_FAILED', String(caught), 're-run the test');
    const { check, field } = placeError(error, test);
    const order: MachineCheck[] = ['reach', 'hostKey', 'login'];
    for (const passed of order.slice(0, order.indexOf(check))) checks.push({ check: passed, ok: true, detail: passedDetail(passed, test) });
    checks.push({ check, ok: false, detail: error.message });
    const details = error.details ?? {};
    const hostKey =
      check === 'hostKey' && typeof details.fingerprint === 'string' && typeof details.address === 'string'
        ? { fingerprint: details.fingerprint, address: details.address, ...(typeof details.via === 'string' ? { via: details.via } : {}), trusted: false }
        : null;
    return done(hostKey, withField(error, field));
  } finally {
    clearTimeout(timer);
  }
  const trusted = test.hostKeys.get(target);
  const hostKey = trusted
    ? { fingerprint: trusted.fingerprint, address: `${ssh.host}:${ssh.port}`, ...(target.via ? { via: target.via } : {}), trusted: true }
    : null;
  for (const passed of ['reach', 'hostKey', 'login'] as const) checks.push({ check: passed, ok: true, detail: passedDetail(passed, test) });
  try {
    const result = await runAsRoot(session, 'id -u', test.credentials.sudoPassword, '');
    const root = result.stdout.trim() === '0';
    checks.push({
      check: 'sudo',
      ok: root,
      detail: ssh.user === 'root' ? 'logged in as root' : root ? 'sudo gives a root shell' : 'sudo did not give a root shell',
    });
    return done(
      hostKey,
      root ? null : withField(new SpanwiseError('SUDO_FAILED', `sudo on ${ssh.host} did not run as root`, 'check sudo on the host'), 'auth.sudoPassword'),
    );
  } catch (caught) {
    const error = caught instanceof SpanwiseError ? caught : new SpanwiseError('SSH_FAILED', String(caught), 're-run the test');
    checks.push({ check: 'sudo', ok: false, detail: error.message });
    return done(hostKey, withField(error, error.code === 'SUDO_NOT_ALLOWED' ? 'ssh.user' : 'auth.sudoPassword'));
  } finally {
    session.close();
  }
}

function passedDetail(check: MachineCheck, test: ConnectionTest): string {
  const { ssh, jump } = test.machine;
  if (check === 'reach')
    return jump.length ? `reached ${ssh.host}:${ssh.port} through ${jump.map((j) => j.host).join(' → ')}` : `reached ${ssh.host}:${ssh.port}`;
  if (check === 'hostKey') return 'every host key on the way is trusted';
  return `logged in as ${ssh.user}`;
}
