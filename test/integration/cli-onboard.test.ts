import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunInTerminal, spanwise, spanwiseInTerminal } from '../support/spanwise-cli.js';

/** A loopback TCP port nothing listens on: onboarding fails at its connect step at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('spanwise node onboard output', { timeout: 240_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-cli-onboard-'));
    await spanwise(dir, ['cluster', 'create', 'lab', '--discovery-url', 'http://127.0.0.1:3000']);
    for (const name of ['edge1', 'edge2'])
      expect((await spanwise(dir, ['node', 'add', name, '--ssh', `root@127.0.0.1:${await closedPort()}`, '--ssh-agent'])).code).toBe(0);
  });

  it('under -o json, streams one JSON object per event, then the results', async () => {
    const run = await spanwise(dir, ['node', 'onboard', '--all', '-o', 'json']);
    expect(run.code).toBe(1);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; progress?: { machine: string; state: string }; results?: { machine: string; ok: boolean }[] });
    expect(lines.filter((l) => l.event === 'progress').map((l) => `${l.progress?.machine} ${l.progress?.state}`)).toEqual(
      expect.arrayContaining(['edge1 running', 'edge1 failed', 'edge2 running', 'edge2 failed']),
    );
    expect(lines.at(-1)).toMatchObject({
      event: 'done',
      results: [
        { machine: 'edge1', ok: false },
        { machine: 'edge2', ok: false },
      ],
    });
  });

  it('piped, prints one plain line per event', async () => {
    const run = await spanwise(dir, ['node', 'onboard', 'edge1']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\[edge1\] {3}0% connect {5}running\n\[edge1\] {3}0% connect {5}failed\n/);
    expect(run.stdout).toContain('[edge1]      error: connect: cannot reach SSH on root@127.0.0.1:');
    expect(run.stdout).not.toContain('\x1b');
  });

  it.runIf(canRunInTerminal)('on a terminal, redraws a row per host in place', async () => {
    const run = await spanwiseInTerminal(dir, ['node', 'onboard', '--all']);
    expect(run.code).toBe(1);
    expect(run.output).toContain('\x1b[2A\x1b[J');
    const frames = run.output.replace(/\r/g, '').split('\x1b[2A\x1b[J');
    expect(frames[0]).toMatch(/^edge1 +\[-{20}\] +0% +pending +-:-- +waiting\nedge2 /);
    expect(frames.at(-1)).toMatch(/^edge1 +\[-{20}\] +0% +connect +failed +\d:\d\d +connect: cannot reach SSH/);
    expect(frames.at(-1)).toContain('edge1: failed at connect');
  });
});
