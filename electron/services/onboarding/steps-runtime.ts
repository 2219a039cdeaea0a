import { SpanwiseError } from '../../../agent/shared/errors.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { shellQuote } from '../ssh/shell.js';
import type { StepContext } from './context.js';
import { hostRuntime, loadPreparedRuntime } from './runtime-files.js';
import { runtimePlan } from './runtime-plan.js';
import { asRoot } from './steps-host.js';
import { uploadChecked } from './upload-parts.js';

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
      ctx.log(
        `uploading the Node ${entry.version} runtime for ${plan.arch} (${archive.bytes} bytes ${unpack.split(' ')[0]}, sha256 ${archive.sha256.slice(0, 12)})`,
      );
      const dir = `${hostRuntime.dir}/${entry.version}`;
      await uploadChecked(ctx, archive, 'runtime', `${dir}/node.archive`);
      const version = await asRoot(
        ctx,
        'runtime install',
        `set -e; z=${dir}/node.archive; ${unpack} "$z" > ${dir}/node.new; rm -f "$z"
         got=$(sha256sum ${dir}/node.new | cut -d' ' -f1); [ "$got" = "${entry.nodeSha256}" ] || { rm -f ${dir}/node.new; echo "runtime hash mismatch: $got" >&2; exit 1; }
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
