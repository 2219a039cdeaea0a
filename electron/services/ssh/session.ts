import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { SshTarget } from '../../contract/machines.js';
import { sshError } from './errors.js';
import { routeVia, type HostKeyDecision, type HostKeyStore } from './host-keys.js';

/** Credentials for one SSH login. Never logged. */
export interface SshCredentials {
  identityFile?: string | null;
  passphrase?: string | null;
  password?: string | null;
  useAgent?: boolean;
  /** The jump hosts' own credentials; absent or null: they use these. */
  jump?: SshCredentials | null;
}

/** Where and how to connect: the target, its jump hosts (outermost first), and host key policy. */
export interface SshRoute {
  target: SshTarget;
  jump: SshTarget[];
  credentials: SshCredentials;
  hostKeys: HostKeyStore;
  decision: HostKeyDecision;
  readyTimeoutMs?: number;
}

/** The output of a remote command. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A command started on the host: its stdin, its stderr as it arrives, and its result. */
export interface RemoteProcess {
  write(text: string): void;
  /** Writes the last text (if any) and closes stdin. */
  end(text?: string): void;
  /** Closes the channel (the command is ended). */
  close(): void;
  /** Calls the listener with the stderr received so far (it may arrive with the channel), then with each new chunk. */
  onStderr(listener: (chunk: string) => void): void;
  result: Promise<ExecResult>;
}

/** The most output (stdout and stderr together) one command may send. */
export const MAX_OUTPUT_BYTES = 64 * 2 ** 20;

const where = (t: SshTarget) => `${t.user}@${t.host}:${t.port}`;

function connectOne(target: SshTarget, via: string, route: SshRoute, credentials: SshCredentials, sock?: Duplex): Promise<Client> {
  const client = new Client();
  let refusal: SpanwiseError | null = null;
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    readyTimeout: route.readyTimeoutMs ?? 15_000,
    keepaliveInterval: 10_000,
    hostVerifier: (key: Buffer) => {
      refusal = route.hostKeys.check({ via, host: target.host, port: target.port }, key, route.decision);
      return refusal === null;
    },
  };
  if (sock) config.sock = sock;
  try {
    if (credentials.identityFile) config.privateKey = readFileSync(credentials.identityFile);
  } catch {
    return Promise.reject(
      new SpanwiseError('SSH_KEY_UNREADABLE', `cannot read the key file ${credentials.identityFile}`, 'check the path and its permissions'),
    );
  }
  if (credentials.passphrase) config.passphrase = credentials.passphrase;
  if (credentials.password) config.password = credentials.password;
  if (credentials.useAgent && process.env.SSH_AUTH_SOCK) config.agent = process.env.SSH_AUTH_SOCK;
  return new Promise((resolve, reject) => {
    client.once('ready', () => resolve(client));
    // Every error, not only the first: ssh2 can emit a second one (a timeout, then the lost socket), and an
    // unheard one would take the process down. After the first, the promise is settled and they change nothing.
    client.on('error', (error) => reject(refusal ?? sshError(error, where(target))));
    try {
      client.connect(config);
    } catch (error) {
      reject(sshError(error, where(target)));
    }
  });
}

function forward(client: Client, target: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, target.host, target.port, (error, stream) => (error ? reject(sshError(error, where(target))) : resolve(stream)));
  });
}

/** The error with `details.hop`: the index in jump hosts then target (0 = outermost) of the hop it is about. */
function atHop(error: unknown, hop: number): unknown {
  if (!(error instanceof SpanwiseError)) return error;
  return new SpanwiseError(error.code, error.message, error.hint, { ...error.details, hop });
}

/** An open SSH connection (through its jump hosts) to one machine. */
export class SshSession {
  /** Rejects when the connection drops, so no operation waits forever on a dead link. */
  private readonly lost: Promise<never>;
  private readonly dropped: Promise<void>;

  private constructor(
    readonly target: SshTarget,
    private readonly client: Client,
    private readonly hops: Client[],
  ) {
    this.dropped = new Promise((resolve) => client.once('close', () => resolve()));
    this.lost = this.dropped.then(() => {
      throw new SpanwiseError('SSH_CONNECTION_LOST', `the SSH connection to ${where(target)} was lost`, 're-run; finished steps are checked, not repeated');
    });
    this.lost.catch(() => undefined);
  }

  private guard<T>(operation: Promise<T>): Promise<T> {
    operation.catch(() => undefined);
    return Promise.race([operation, this.lost]);
  }

  /** Connects through every jump host in turn, verifying each host key. */
  static async open(route: SshRoute): Promise<SshSession> {
    const hops: Client[] = [];
    let hop = 0;
    try {
      const chain = [...route.jump, route.target];
      let sock: Duplex | undefined;
      const via = (i: number) => routeVia(chain.slice(0, i));
      for (let i = 0; i < chain.length - 1; i += 1) {
        hop = i;
        const client = await connectOne(chain[i] as SshTarget, via(i), route, route.credentials.jump ?? route.credentials, sock);
        hops.push(client);
        hop = i + 1;
        sock = await forward(client, chain[i + 1] as SshTarget);
      }
      hop = chain.length - 1;
      return new SshSession(route.target, await connectOne(route.target, via(hop), route, route.credentials, sock), hops);
    } catch (error) {
      for (const client of hops.reverse()) client.end();
      throw atHop(error, hop);
    }
  }

  /** Runs a command; `stdin` is written first (then closed). Never throws on a non-zero exit. */
  async exec(command: string, stdin?: string, timeoutMs = 120_000): Promise<ExecResult> {
    const remote = await this.start(command, timeoutMs);
    remote.end(stdin);
    return remote.result;
  }

  /**
   * Starts a command whose stdin is written as its output asks for it (a sudo
   * prompt). Each of stdout and stderr is capped at MAX_OUTPUT_BYTES: a host
   * that sends more gets the command closed and an error, never an unbounded buffer.
   */
  start(command: string, timeoutMs = 120_000): Promise<RemoteProcess> {
    return this.guard(
      new Promise((resolveStart, rejectStart) => {
        this.client.exec(command, (error, channel) => {
          if (error) return rejectStart(sshError(error, where(this.target)));
          const stderrListeners: Array<(chunk: string) => void> = [];
          const out = { stdout: '', stderr: '', bytes: 0 };
          const result = new Promise<ExecResult>((resolve, reject) => {
            const fail = (failure: SpanwiseError) => {
              clearTimeout(timer);
              channel.close();
              reject(failure);
            };
            const timer = setTimeout(
              () =>
                fail(
                  new SpanwiseError(
                    'SSH_TIMEOUT',
                    `a command on ${where(this.target)} did not finish in ${Math.round(timeoutMs / 1000)} s`,
                    're-run; check the host load and network',
                  ),
                ),
              timeoutMs,
            );
            const take = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
              out.bytes += chunk.length;
              if (out.bytes > MAX_OUTPUT_BYTES)
                return fail(
                  new SpanwiseError(
                    'SSH_OUTPUT_TOO_LARGE',
                    `a command on ${where(this.target)} sent more than ${MAX_OUTPUT_BYTES / 2 ** 20} MiB of output`,
                    'check the host: a command Spanwise runs should print far less',
                  ),
                );
              const text = chunk.toString('utf8');
              out[stream] += text;
              if (stream === 'stderr') for (const listener of stderrListeners) listener(text);
            };
            channel.on('data', (chunk: Buffer) => take('stdout', chunk));
            channel.stderr.on('data', (chunk: Buffer) => take('stderr', chunk));
            channel.on('close', (code: number | null) => {
              clearTimeout(timer);
              resolve({ code: code ?? 255, stdout: out.stdout, stderr: out.stderr });
            });
          });
          resolveStart({
            write: (text) => channel.write(text),
            end: (text) => channel.end(text),
            close: () => channel.close(),
            onStderr: (listener) => {
              stderrListeners.push(listener);
              if (out.stderr) listener(out.stderr);
            },
            result: this.guard(result),
          });
        });
      }),
    );
  }

  /** Opens a TCP stream from the machine to host:port (for tunnels to the agent API). */
  forwardTo(host: string, port: number): Promise<Duplex> {
    return this.guard(forward(this.client, { user: this.target.user, host, port }));
  }

  /** Writes a file over SFTP. */
  writeFile(path: string, data: Buffer, mode: number): Promise<void> {
    return this.guard(
      new Promise((resolve, reject) => {
        this.client.sftp((error, sftp) => {
          if (error) return reject(sshError(error, where(this.target)));
          sftp.writeFile(path, data, { mode }, (writeError) => {
            sftp.end();
            if (writeError)
              reject(
                new SpanwiseError(
                  'SFTP_FAILED',
                  `cannot write ${path} on ${where(this.target)}: ${writeError.message}`,
                  'check free disk space and permissions',
                ),
              );
            else resolve();
          });
        });
      }),
    );
  }

  /** Closes the connection and every hop. */
  close(): void {
    this.client.end();
    for (const hop of [...this.hops].reverse()) hop.end();
  }

  /** Resolves when the connection drops. */
  closed(): Promise<void> {
    return this.dropped;
  }
}
