import { copyFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SpanwiseError } from '../../agent/shared/errors.js';

/** The files a built renderer holds; the UI is served only when all are there. */
const builtFiles = ['index.html', 'styles.css', 'app.js'];

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Builds the renderer from its sources (`renderer/`) into `outDir`: the page, its styles, and one minified bundle. */
export async function buildRenderer(sourceDir: string, outDir: string): Promise<void> {
  const { build } = await import('esbuild');
  await mkdir(outDir, { recursive: true });
  for (const file of ['index.html', 'styles.css']) await copyFile(join(sourceDir, file), join(outDir, file));
  await build({
    entryPoints: [join(sourceDir, 'main.tsx')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    minify: true,
    sourcemap: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
}

/**
 * Makes sure `outDir` holds a built renderer: kept as it is when built, else built from `sourceDir`
 * with a line of progress before and after. Fails with UI_MISSING naming what to do when it cannot.
 */
export async function ensureRenderer(sourceDir: string, outDir: string, progress: (line: string) => void): Promise<'prebuilt' | 'built'> {
  const present = await Promise.all(builtFiles.map((f) => exists(join(outDir, f))));
  if (present.every(Boolean)) return 'prebuilt';
  if (!(await exists(join(sourceDir, 'main.tsx')))) {
    throw new SpanwiseError(
      'UI_MISSING',
      `the UI is not built in ${outDir} and its sources are not in ${sourceDir}`,
      'run npm run build in a checkout, or install a release that ships the UI',
    );
  }
  progress(`building the UI into ${outDir} (first run) ...`);
  const started = Date.now();
  try {
    await buildRenderer(sourceDir, outDir);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n').slice(0, 6).join('\n') : String(error);
    throw new SpanwiseError(
      'UI_BUILD_FAILED',
      `could not build the UI: ${reason}`,
      'run npm run build to see the full error; npm install if packages are missing',
    );
  }
  progress(`built the UI in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 'built';
}
