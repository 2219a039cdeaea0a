import { describe, expect, it, vi } from 'vitest';
import { agentCommands } from '../../agent/cli/commands.js';
import { runCli, type Command, type CliSpec } from '../../agent/shared/cli.js';
import { SpanwiseError } from '../../agent/shared/errors.js';
import { desktopCommands } from '../../electron/cli/commands.js';

function recorder() {
  const calls: Array<{ values: Record<string, unknown>; positionals: string[] }> = [];
  const command = (path: string[], options: Command['options'], positionals = false): Command => ({
    path,
    summary: `${path.join(' ')} summary`,
    usage: '[options]',
    options,
    positionals,
    run: async (values, rest) => void calls.push({ values, positionals: rest }),
  });
  const spec: CliSpec = {
    name: 'spanwise',
    version: '1.2.3',
    description: 'test',
    commands: [
      command(['cluster', 'list'], { 'data-dir': { type: 'string' }, json: { type: 'boolean' } }),
      command(['node', 'add'], { 'data-dir': { type: 'string' }, ssh: { type: 'string' } }, true),
      command(['node', 'logs'], { lines: { type: 'string', short: 'n' } }, true),
    ],
  };
  return { calls, spec };
}

async function capture(run: () => Promise<number>) {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await run(), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('the command router', () => {
  it('finds the command wherever its flags are, as kubectl does', async () => {
    const { calls, spec } = recorder();
    for (const argv of [
      ['--data-dir', 'D', 'cluster', 'list', '--json'],
      ['cluster', '--data-dir=D', 'list', '--json'],
      ['cluster', 'list', '--json', '--data-dir', 'D'],
    ]) {
      expect((await capture(() => runCli(spec, argv))).code).toBe(0);
    }
    expect(calls.map((c) => c.values)).toEqual(Array.from({ length: 3 }, () => ({ 'data-dir': 'D', json: true })));
    await capture(() => runCli(spec, ['-n', '5', 'node', 'logs', 'node']));
    expect(calls.at(-1)).toEqual({ values: { lines: '5' }, positionals: ['node'] });
  });

  it('prints help for what the words name, with --help anywhere', async () => {
    const { spec } = recorder();
    expect((await capture(() => runCli(spec, ['--help', 'node', 'add']))).out).toContain('Usage: spanwise node add');
    expect((await capture(() => runCli(spec, ['node', 'add', 'x', '--help']))).out).toContain('Usage: spanwise node add');
    expect((await capture(() => runCli(spec, ['help', 'cluster', 'list']))).out).toContain('Usage: spanwise cluster list');
    const group = await capture(() => runCli(spec, ['node', '--help']));
    expect(group.out).toContain('node add');
    expect(group.out).not.toContain('cluster list');
    const unknown = await capture(() => runCli(spec, ['--data-dir', 'D', 'node', 'bogus']));
    expect(unknown).toMatchObject({ code: 2, err: expect.stringContaining("unknown command 'node bogus'") as unknown });
  });

  it('names an unknown command under --help too, and lists a group its words name alone, as kubectl does', async () => {
    const { spec, calls } = recorder();
    for (const argv of [
      ['nosuch', '--help'],
      ['node', 'bogus', '--help'],
      ['--help', 'clustr'],
    ]) {
      const got = await capture(() => runCli(spec, argv));
      expect(got).toMatchObject({ code: 2, out: '', err: expect.stringContaining('unknown command') as unknown });
    }
    const group = await capture(() => runCli(spec, ['--data-dir', 'D', 'node']));
    expect(group.code).toBe(2);
    expect(group.out).toContain('node add');
    expect(group.out).toContain('node logs');
    expect(group.out).not.toContain('cluster list');
    expect(group.err).toBe('');
    const asJson = await capture(() => runCli(spec, ['node', '--output=json']));
    expect(asJson).toMatchObject({ code: 2, out: '' });
    expect(JSON.parse(asJson.err)).toMatchObject({ error: { code: 'USAGE', message: "'node' needs a command: node add, node logs" } });
    expect(calls).toEqual([]);
  });

  it('suggests the command a typo was probably meant to name, as kubectl does', async () => {
    const { spec } = recorder();
    expect((await capture(() => runCli(spec, ['nod', 'ad', 'x', '--data-dir', 'D']))).err).toContain(
      "unknown command 'nod ad x'. Did you mean 'spanwise node add'?",
    );
    expect((await capture(() => runCli(spec, ['clustr', 'lst']))).err).toContain("Did you mean 'spanwise cluster list'?");
    const far = (await capture(() => runCli(spec, ['frobnicate']))).err;
    expect(far).not.toContain('Did you mean');
    expect(far).toContain("Run 'spanwise --help' for the list of commands.");
  });

  it('an option name means the same kind of flag in every command, so the router can tell flags from words', () => {
    for (const commands of [desktopCommands, agentCommands]) {
      const kinds = new Map<string, Set<string>>();
      for (const c of commands) for (const [name, o] of Object.entries(c.options)) kinds.set(name, (kinds.get(name) ?? new Set()).add(o.type));
      expect([...kinds].filter(([, k]) => k.size > 1).map(([name]) => name)).toEqual([]);
    }
  });

  it("prints each flag with its sentence and default, and the command's examples", async () => {
    const { spec } = recorder();
    const logs = spec.commands[2] as Command;
    logs.optionHelp = { lines: { description: 'how many lines', default: '200', value: 'N' } };
    logs.examples = ['spanwise node logs edge1 -n 50'];
    const help = (await capture(() => runCli(spec, ['node', 'logs', '--help']))).out;
    expect(help).toMatch(/Flags:\n {2}-n, --lines N {2}how many lines \(default 200\)\n/);
    expect(help).toContain('Examples:\n  spanwise node logs edge1 -n 50\n');
  });

  it('every spanwise command documents every flag and gives an example', () => {
    for (const c of desktopCommands) {
      const undocumented = Object.keys(c.options).filter((name) => !c.optionHelp?.[name]?.description);
      expect({ command: c.path.join(' '), undocumented, examples: (c.examples?.length ?? 0) > 0 }).toEqual({
        command: c.path.join(' '),
        undocumented: [],
        examples: true,
      });
    }
  });

  it('prints a failure with its code, or as the JSON envelope on stderr under -o json', async () => {
    const { spec } = recorder();
    spec.commands.push({
      path: ['boom'],
      summary: 'fails',
      usage: '',
      options: { output: { type: 'string', short: 'o' }, json: { type: 'boolean' } },
      run: async () => {
        throw new SpanwiseError('NOT_THERE', 'no such thing', 'make one');
      },
    });
    expect(await capture(() => runCli(spec, ['boom']))).toEqual({ code: 1, out: '', err: 'spanwise: NOT_THERE: no such thing\n  hint: make one\n' });
    for (const flag of [['-o', 'json'], ['--json'], ['--output=json']]) {
      const failed = await capture(() => runCli(spec, ['boom', ...flag]));
      expect(failed).toMatchObject({ code: 1, out: '' });
      expect(JSON.parse(failed.err)).toEqual({ error: { code: 'NOT_THERE', message: 'no such thing', hint: 'make one' } });
    }
    const usage = await capture(() => runCli(spec, ['cluster', 'list', '--bogus', '--json']));
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.err)).toMatchObject({ error: { code: 'USAGE', message: expect.stringContaining('--bogus') as unknown } });
    const invalid = await capture(() =>
      runCli(
        {
          ...spec,
          commands: [
            {
              ...spec.commands[0]!,
              run: async () => {
                throw new SpanwiseError('INVALID_REQUEST', '--mtu: use at least 1280');
              },
            },
          ],
        },
        ['cluster', 'list'],
      ),
    );
    expect(invalid).toMatchObject({
      code: 2,
      err: expect.stringContaining('spanwise cluster list: --mtu: use at least 1280\nUsage: spanwise cluster list') as unknown,
    });
  });
});
