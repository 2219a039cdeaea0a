import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { shellQuote } from '../ssh/shell.js';
import type { StepContext } from './context.js';
import { hostRuntime, loadPreparedRuntime, type RuntimeArchive } from './runtime-files.js';
import { runtimePlan } from './runtime-plan.js';
import { asRoot } from './steps-host.js';

/** Bytes per SFTP write of a runtime upload; one progress line after each. */
const RUNTIME_CHUNK_BYTES = 4 * 2 ** 20;

/** Where uploaded parts go: under /opt/spanwise for root, else the login user's home (its path as the root shell sees it). */
function uploadPrefix(ctx: StepContext): { sftp: string; shell: string } {
  const name = `.spanwise-runtime.${randomBytes(4).toString('hex')}`;
  if (ctx.machine.ssh.user === 'root') return { sftp: `${hostPaths.installDir}/${name}`, shell: `${hostPaths.installDir}/${name}` };
  return { sftp: name, shell: `$(getent passwd ${shellQuote(ctx.machine.ssh.user)} | cut -d: -f6)/${name}` };
}

/** Uploads a file in chunks (`<prefix>.000.part`, ...), logging bytes sent after each one. */
async function uploadInParts(ctx: StepContext, archive: RuntimeArchive, prefix: string): Promise<void> {
  const file = await open(archive.path, 'r');
  try {
    let sent = 0;
    for (let index = 0; sent < archive.bytes; index += 1) {
      const chunk = Buffer.alloc(Math.min(RUNTIME_CHUNK_BYTES, archive.bytes - sent));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, sent);
      if (bytesRead !== chunk.length)
        throw new SpanwiseError('RUNTIME_MISSING', `${archive.path} is shorter than its runtime.json says`, 'run npm run agent:runtimes');
      await ctx.session.writeFile(`${prefix}.${String(index).padStart(3, '0')}.part`, chunk, 0o600);
      sent += chunk.length;
      ctx.log(`runtime upload ${sent}/${archive.bytes} bytes`);
      ctx.flush?.();
      if (ctx.signal.aborted) throw Object.assign(new Error('cancelled'), { cancelled: true });
    }
  } finally {
    await file.close();
  }
}

/**
 * Makes /opt/spanwise/bin/node point at a Node that runs the agent: the host's own when it is
 * suitable, else the pinned runtime, uploaded compressed only when the host's cache
 * (/opt/spanwise/runtime/<version>/node) lacks it or its sha256 differs. True when it changed.
 */
export async function ensureRuntime(ctx: StepContext): Promise<boolean> {
  if (!ctx.facts) throw new SpanwiseError('STEP_ORDER', 'pre-flight facts are missing');
  const plan = runtimePlan(ctx.facts);
  if (plan.kind === 'blocked') throw new SpanwiseError(plan.code, plan.message, plan.fix);
  let target: string;
  if (plan.kind === 'host') {
    target = plan.path;
    ctx.log(`the agent runs with the host's node ${plan.version} (${plan.path})`);
  } else {
    const { entry } = plan;
    target = hostRuntime.binary(entry.version);
    const cachedSha = plan.cached ? (await asRoot(ctx, 'runtime check', `sha256sum ${target} | cut -d' ' -f1`)).trim() : '';
    if (cachedSha === entry.nodeSha256) ctx.log(`Node ${entry.version} runtime already cached at ${target}`);
    else {
      const prepared = await loadPreparedRuntime(ctx.bundle.runtimesDir, plan.arch, entry);
      const archive = plan.compression === 'xz' && prepared.xz ? prepared.xz : prepared.gz;
      const unpack = archive === prepared.xz ? 'xz -dc' : 'gzip -dc';
      const prefix = uploadPrefix(ctx);
      ctx.log(
        `uploading the Node ${entry.version} runtime for ${plan.arch} (${archive.bytes} bytes ${unpack.split(' ')[0]}, sha256 ${archive.sha256.slice(0, 12)})`,
      );
      if (ctx.machine.ssh.user === 'root') await asRoot(ctx, 'prepare install dir', `mkdir -p ${hostPaths.installDir}`);
      try {
        await uploadInParts(ctx, archive, prefix.sftp);
      } catch (error) {
        await asRoot(ctx, 'runtime cleanup', `rm -f "${prefix.shell}".*.part`).catch(() => undefined);
        throw error;
      }
      const dir = `${hostRuntime.dir}/${entry.version}`;
      const fail = (what: string) => `{ rm -f "$z" ${dir}/node.new; echo "${what} hash mismatch: $got" >&2; exit 1; }`;
      const version = await asRoot(
        ctx,
        'runtime install',
        `set -e; mkdir -p ${dir}; z=${dir}/node.archive; cat "${prefix.shell}".*.part > "$z"; rm -f "${prefix.shell}".*.part
         got=$(sha256sum "$z" | cut -d' ' -f1); [ "$got" = "${archive.sha256}" ] || ${fail('runtime archive')}
         ${unpack} "$z" > ${dir}/node.new; rm -f "$z"
         got=$(sha256sum ${dir}/node.new | cut -d' ' -f1); [ "$got" = "${entry.nodeSha256}" ] || ${fail('runtime')}
         chmod 0755 ${dir}/node.new; ${dir}/node.new --version || { rm -f ${dir}/node.new; echo "the official Node build does not run here (it needs glibc 2.28 or newer)" >&2; exit 1; }
         mv -f ${dir}/node.new ${target}`,
      ).catch((error: unknown) => {
        if (error instanceof SpanwiseError && /does not run here/.test(error.message))
          throw new SpanwiseError(
            'RUNTIME_WONT_RUN',
            error.message,
            `install Node.js ${entry.version.split('.')[0]} or newer from the distribution (Alpine: apk add nodejs-current), then re-run`,
          );
        throw error;
      });
      ctx.log(`Node ${version.trim()} runtime installed at ${target} (sha256 checked)`);
    }
  }
  if (ctx.facts.nodeLink === target) return false;
  await asRoot(
    ctx,
    'runtime link',
    `set -e; mkdir -p ${hostPaths.installDir}/bin; ln -sfn ${shellQuote(target)} ${hostRuntime.link}.new; mv -Tf ${hostRuntime.link}.new ${hostRuntime.link}`,
  );
  ctx.log(`${hostRuntime.link} -> ${target}`);
  return true;
}
