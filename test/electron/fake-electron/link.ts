// FAKE ELECTRON, for tests only: the fake's line to the test that forked this process. Every call the
// main process makes on the fake is reported as a record; the test drives the fake with commands.

/** One thing the main process did to the fake (`what`), with its details. */
export interface FakeRecord {
  kind: 'record';
  what: string;
  [detail: string]: unknown;
}

/** A command from the test, answered with a reply carrying the same id. */
export interface FakeCommand {
  kind: 'command';
  id: number;
  name: string;
  [argument: string]: unknown;
}

/** The fake's answer to a command: its value, or the message of what it threw. */
export interface FakeReply {
  kind: 'reply';
  id: number;
  value?: unknown;
  error?: string;
}

function send(message: FakeRecord | FakeReply, then?: () => void): void {
  if (process.send) process.send(message, undefined, {}, () => then?.());
  else {
    process.stdout.write(`${JSON.stringify(message)}\n`);
    then?.();
  }
}

/** Reports a call to the test. */
export function record(what: string, details: Record<string, unknown> = {}): void {
  send({ kind: 'record', what, ...details });
}

/** Reports a call, then runs `then` once the report has left the process (for exits). */
export function recordThen(what: string, details: Record<string, unknown>, then: () => void): void {
  send({ kind: 'record', what, ...details }, then);
}

const commands = new Map<string, (command: FakeCommand) => unknown>();

/** Handles one kind of command from the test. */
export function onCommand(name: string, handler: (command: FakeCommand) => unknown): void {
  commands.set(name, handler);
}

process.on('message', (message: FakeCommand) => {
  if (message?.kind !== 'command') return;
  const handler = commands.get(message.name);
  Promise.resolve()
    .then(() => {
      if (!handler) throw new Error(`the fake has no command ${message.name}`);
      return handler(message);
    })
    .then(
      (value: unknown) => send({ kind: 'reply', id: message.id, value }),
      (error: Error) => send({ kind: 'reply', id: message.id, error: error.message }),
    );
});
