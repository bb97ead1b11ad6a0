#!/usr/bin/env node
// Runs the CLI bundled by esbuild (`npm run build:cli`) when that bundle is newer than every
// source it was built from; otherwise the TypeScript sources directly through tsx, so `npx pochub`
// works right after `npm ci` with no build step and a stale bundle is never used.
import { pathToFileURL } from 'node:url';
import { freshCliBundle } from './cli-bundle.mjs';

const bundle = freshCliBundle();
if (bundle) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../main/cli.ts');
}
