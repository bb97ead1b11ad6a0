// The layer rule of docs/architecture.md §2.1, enforced on every import: a folder says where code may run.
// Modelled on the idea of VS Code's code-layering rule (written from scratch here).
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const NATIVE = /^(node:|electron$|electron\/|serialport$|@serialport\/|node-hid$|better-sqlite3$)/;
const NODE_BUILTIN = /^(fs|path|os|child_process|net|http|https|crypto|stream|events|util|url|zlib|tty|worker_threads|dgram|readline)(\/|$)/;

/** The layer of a file, from its path relative to the repository. */
function layerOf(rel) {
  const [top, second, third] = rel.split(path.sep);
  if (top === 'shared') return { name: 'shared' };
  if (top === 'renderer') return { name: 'renderer' };
  if (top === 'main') return { name: 'main', sub: second };
  if (top === 'drivers') {
    if (second === 'devices') return { name: 'drivers', sub: 'devices', device: third };
    return { name: 'drivers', sub: second };
  }
  return { name: top };
}

function check(fromRel, spec, resolvedRel) {
  const from = layerOf(fromRel);
  const isRelative = spec.startsWith('.');
  const isNative = !isRelative && (NATIVE.test(spec) || NODE_BUILTIN.test(spec));
  const to = isRelative ? layerOf(resolvedRel) : undefined;
  const isTest = /\.test\.tsx?$/.test(fromRel) || fromRel.endsWith('conformance.ts');
  switch (from.name) {
    case 'shared':
      if (isNative) return 'shared/ is pure TypeScript: no Node, Electron or native modules';
      if (to && to.name !== 'shared') return `shared/ may import only shared/, not ${resolvedRel}`;
      return undefined;
    case 'renderer':
      if (isNative) return 'renderer/ may not import Node, Electron or native modules';
      if (to && to.name !== 'shared' && to.name !== 'renderer') return `renderer/ may import only shared/, not ${resolvedRel}`;
      return undefined;
    case 'drivers':
      if (isNative) return 'drivers/ never touch I/O: no Node, serialport, node-hid or sqlite (use the Link)';
      if (!to) return undefined;
      if (to.name === 'main' || to.name === 'renderer') return `drivers/ may not import ${to.name}/`;
      if (to.name === 'drivers' && to.sub === 'devices' && from.sub === 'devices' && to.device !== from.device) {
        return `a device folder may not import another device folder (${resolvedRel}); share code through drivers/families`;
      }
      if (to.name === 'drivers' && to.sub === 'devices' && from.sub !== 'devices' && !(from.sub && /\.ts$/.test(from.sub)) && !isTest) {
        return `drivers/${from.sub} may not import a device folder`;
      }
      return undefined;
    case 'main': {
      if (to && to.name === 'renderer') return 'main/ may not import renderer/';
      if (to && to.name === 'drivers' && !isTest) {
        const allowed = resolvedRel === path.join('drivers', 'index.ts') || to.sub === 'kit';
        if (!allowed) return `main/ reaches drivers only through drivers/index.ts and the kit, not ${resolvedRel}`;
      }
      const nativeOnly = /^(serialport$|@serialport\/|node-hid$|better-sqlite3$)/;
      if (!isRelative && nativeOnly.test(spec) && from.sub !== 'transports' && from.sub !== 'store') {
        return `only main/transports and main/store import native modules (${spec})`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export default {
  rules: {
    layers: {
      meta: { type: 'problem', docs: { description: 'enforce the layer rule of docs/architecture.md §2.1' }, schema: [] },
      create(context) {
        const fromRel = path.relative(ROOT, context.filename);
        const visit = (node) => {
          const spec = node.source?.value;
          if (typeof spec !== 'string') return;
          const resolvedRel = spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(context.filename), spec)) : spec;
          const problem = check(fromRel, spec, resolvedRel);
          if (problem) context.report({ node: node.source, message: problem });
        };
        return { ImportDeclaration: visit, ExportAllDeclaration: visit, ExportNamedDeclaration: visit, ImportExpression: visit };
      },
    },
  },
};
