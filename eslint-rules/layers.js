// The layer rule of docs/architecture.md §2.1, enforced on every import: a folder says where code may run.
// Modelled on the idea of VS Code's code-layering rule (written from scratch here).
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const NATIVE = /^(node:|electron$|electron\/|serialport$|@serialport\/|node-hid$|usb$|better-sqlite3$)/;
const NODE_BUILTIN = /^(fs|path|os|child_process|net|http|https|crypto|stream|events|util|url|zlib|tty|worker_threads|dgram|readline)(\/|$)/;

/** The layer of a file, from its path relative to the repository. */
function layerOf(rel) {
  const [top, second, third, fourth] = rel.split(path.sep);
  if (top === 'shared') return { name: 'shared' };
  if (top === 'renderer') return { name: 'renderer' };
  if (top === 'main') return { name: 'main', sub: second };
  if (top === 'drivers') {
    // `device` is set only inside a device folder (drivers/devices/<id>/…), not for the files
    // directly in drivers/devices/ (the list of drivers).
    if (second === 'devices' && fourth !== undefined) return { name: 'drivers', sub: 'devices', device: third };
    return { name: 'drivers', sub: second };
  }
  return { name: top };
}

const DRIVERS_ENTRY = path.join('drivers', 'index.ts');
const KIT_ENTRY = path.join('drivers', 'kit', 'index.ts');
/** The conformance suite needs vitest, so it is not in the kit's index: tests import it directly. */
const KIT_CONFORMANCE = path.join('drivers', 'kit', 'conformance.ts');

/**
 * The entry rule every file outside the kit and outside a given device folder obeys: the kit is
 * reached through drivers/kit/index.ts, a device folder through its index.ts. Test files may
 * also import the kit's conformance suite and any file of a device folder (to script a device's
 * wire format); bench/ may import a device folder's simulator.ts (it writes that format at speed).
 */
function entryProblem(from, to, resolvedRel, isTest) {
  if (to.sub === 'kit' && from.sub !== 'kit' && resolvedRel !== KIT_ENTRY && !(isTest && resolvedRel === KIT_CONFORMANCE)) {
    return `the kit is imported only through drivers/kit/index.ts, not ${resolvedRel}`;
  }
  const deviceEntry = to.device !== undefined && resolvedRel === path.join('drivers', 'devices', to.device, 'index.ts');
  if (to.device !== undefined && from.device !== to.device && !deviceEntry && !isTest && !isBenchSimulator(from, to, resolvedRel)) {
    return `a device folder is imported only through its index.ts, not ${resolvedRel}`;
  }
  return undefined;
}

/** bench/ drives a device's wire format at full speed with the device folder's simulator.ts. */
function isBenchSimulator(from, to, resolvedRel) {
  return from.name === 'bench' && to.device !== undefined && resolvedRel === path.join('drivers', 'devices', to.device, 'simulator.ts');
}

function check(fromRel, spec, resolvedRel) {
  const from = layerOf(fromRel);
  const isRelative = spec.startsWith('.');
  const isNative = !isRelative && (NATIVE.test(spec) || NODE_BUILTIN.test(spec));
  const to = isRelative ? layerOf(resolvedRel) : undefined;
  const isTest = /\.test\.tsx?$/.test(fromRel) || fromRel.endsWith('conformance.ts');
  const intoDrivers = to?.name === 'drivers';
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
      if (!intoDrivers) return undefined;
      if (to.device !== undefined && from.device !== undefined && to.device !== from.device) {
        return `a device folder may not import another device folder (${resolvedRel}); share code through drivers/families`;
      }
      // kit/ and families/ know no device; the files directly in drivers/ and drivers/devices/
      // (the registry and the list of drivers) do, through each folder's index.ts.
      if (to.device !== undefined && (from.sub === 'kit' || from.sub === 'families') && !isTest) {
        return `drivers/${from.sub} may not import a device folder`;
      }
      return entryProblem(from, to, resolvedRel, isTest);
    case 'main': {
      if (to && to.name === 'renderer') return 'main/ may not import renderer/';
      const nativeOnly = /^(serialport$|@serialport\/|node-hid$|usb$|better-sqlite3$)/;
      if (!isRelative && nativeOnly.test(spec) && from.sub !== 'transports' && from.sub !== 'store') {
        return `only main/transports and main/store import native modules (${spec})`;
      }
      return intoDrivers ? driversFromOutside(from, to, resolvedRel, isTest) : undefined;
    }
    default:
      return intoDrivers ? driversFromOutside(from, to, resolvedRel, isTest) : undefined;
  }
}

/**
 * main/, scripts/ and bench/ code (not tests) reaches drivers only through the two entries:
 * drivers/index.ts (the registry) and drivers/kit/index.ts (the kit); bench/ may also import a
 * device folder's simulator.ts. Everything else (test/, tests in main/) obeys the entry rule.
 */
function driversFromOutside(from, to, resolvedRel, isTest) {
  const entriesOnly = from.name === 'main' || from.name === 'scripts' || from.name === 'bench';
  if (entriesOnly && !isTest && resolvedRel !== DRIVERS_ENTRY && resolvedRel !== KIT_ENTRY) {
    if (!isBenchSimulator(from, to, resolvedRel)) return `${from.name}/ reaches drivers only through drivers/index.ts and drivers/kit/index.ts, not ${resolvedRel}`;
  }
  return entryProblem(from, to, resolvedRel, isTest);
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
