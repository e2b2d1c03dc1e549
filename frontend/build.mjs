// Bundle every page entry point (frontend/src/pages/<name>.js) into static/build/<name>.js.
// Pages load only their own bundle, so the Content-Security-Policy can stay at script-src 'self'.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const pagesDir = join('frontend', 'src', 'pages');
const entryPoints = readdirSync(pagesDir)
  .filter((name) => name.endsWith('.js'))
  .map((name) => join(pagesDir, name));

await build({
  entryPoints,
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: process.env.NODE_ENV === 'production',
  sourcemap: true,
  outdir: join('static', 'build'),
  logLevel: 'info',
});
