import { z } from 'zod';

// zod decides at schema construction whether it may compile a fast parser with `new Function`;
// the page's CSP forbids eval, and even the probe is reported as a violation. This module is
// main.tsx's first import, so it runs before any module that builds a schema (ESM evaluates
// imports in order).
z.config({ jitless: true });
