import { Ajv } from 'ajv';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DRIVERS } from '../drivers/index.ts';
import { MAIN_OUTFILE, buildMain } from '../scripts/build-main.ts';
import { PRELOAD_OUTFILE } from '../scripts/build-preload.ts';
import { DEB_AFTER_INSTALL, DEB_AFTER_REMOVE, debScripts } from '../scripts/deb-scripts.ts';
import { UDEV_RULES_FILE, udevRules } from '../scripts/udev-rules.ts';
import { ROOT } from './helpers/cli.ts';

/** electron-builder.yml, parsed. */
type BuilderConfig = Record<string, unknown> & {
  extraMetadata: { main: string };
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  win: { target: unknown };
  mac: { target: unknown };
  linux: { target: unknown; extraResources: { from: string; to: string }[] };
  deb: { fpm: string[]; afterInstall: string; afterRemove: string; depends: string[] };
};
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const rel = (file: string): string => relative(ROOT, file).split('\\').join('/');

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    // The schema is strict enough to catch a typo.
    expect(validate({ ...config, appID: 'x' })).toBe(false);
    expect(validate({ ...config, deb: { ...config.deb, afterInstal: 'x' } })).toBe(false);
  });

  it('names the app and builds NSIS, dmg, AppImage and deb', () => {
    expect(config['appId']).toBe('org.pochub.app');
    expect(config['productName']).toBe('POC Hub');
    expect(config.win.target).toBe('nsis');
    expect(config.mac.target).toBe('dmg');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('packages the bundled main process, the preload and the built UI, and starts from the main bundle', () => {
    expect(config.extraMetadata.main).toBe(rel(MAIN_OUTFILE));
    expect(config.files).toEqual(expect.arrayContaining([rel(MAIN_OUTFILE), rel(PRELOAD_OUTFILE), 'renderer/dist/**/*', 'package.json']));
  });

  it('rebuilds native modules for Electron and keeps them out of the asar archive', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/node-hid/**', 'node_modules/@serialport/bindings-cpp/**']));
  });

  it('installs the udev rules with the deb, reloads udev after install and remove, and ships them for AppImage users', () => {
    expect(config.deb.fpm).toContain(`${rel(UDEV_RULES_FILE)}=/lib/udev/rules.d/60-pochub.rules`);
    expect(config.deb.afterInstall).toBe(rel(DEB_AFTER_INSTALL));
    expect(config.deb.afterRemove).toBe(rel(DEB_AFTER_REMOVE));
    expect(config.deb.depends).toEqual(expect.arrayContaining(['udev', 'libsecret-1-0', 'libgtk-3-0', 'libnss3']));
    expect(config.linux.extraResources).toContainEqual({ from: rel(UDEV_RULES_FILE), to: 'udev/60-pochub.rules' });
  });

  it("keeps electron-builder's own maintainer script work and adds the udev reload", () => {
    const { afterInstall, afterRemove } = debScripts();
    // electron-builder's template: the /usr/bin link and the chrome-sandbox mode must survive.
    expect(afterInstall).toContain('chrome-sandbox');
    expect(afterInstall).toContain("/usr/bin/${executable}");
    expect(afterInstall).toMatch(/udevadm control --reload-rules[\s\S]*udevadm trigger --action=change --subsystem-match=hidraw --subsystem-match=tty/);
    expect(afterRemove).toContain('update-alternatives --remove');
    expect(afterRemove).toContain('udevadm control --reload-rules');
  });
});

describe('udev rules', () => {
  const committed = readFileSync(UDEV_RULES_FILE, 'utf8');
  const rules = committed.split('\n').filter((line) => line.startsWith('SUBSYSTEM=='));

  it('are the generator output (run node bin/run-ts.mjs scripts/udev-rules.ts after changing a driver)', () => {
    expect(committed).toBe(udevRules());
  });

  it('give plugdev and the seated user every USB id of every driver: hidraw and tty for HID and serial drivers, the usb device node for libusb ones', () => {
    const hex = (n: number) => n.toString(16).padStart(4, '0');
    const expected = new Set<string>();
    for (const { manifest } of DRIVERS) {
      for (const u of manifest.usb) {
        const [vendor, product] = [hex(u.vendorId), hex(u.productId)];
        if (manifest.transport.type === 'usb') {
          expected.add(`SUBSYSTEM=="usb", ATTR{idVendor}=="${vendor}", ATTR{idProduct}=="${product}", MODE="0660", GROUP="plugdev", TAG+="uaccess"`);
        } else {
          for (const subsystem of ['hidraw', 'tty']) expected.add(`SUBSYSTEM=="${subsystem}", ATTRS{idVendor}=="${vendor}", ATTRS{idProduct}=="${product}", MODE="0660", GROUP="plugdev", TAG+="uaccess"`);
        }
      }
    }
    expect(expected.size).toBeGreaterThan(0);
    // Nothing else: no rule for a device no driver declares, none twice.
    expect([...rules].sort()).toEqual([...expected].sort());
    // The Accu-Chek Guide, read through libusb: its device node, not a hidraw or tty it never has.
    expect(rules).toContain('SUBSYSTEM=="usb", ATTR{idVendor}=="173a", ATTR{idProduct}=="21d5", MODE="0660", GROUP="plugdev", TAG+="uaccess"');
    expect(rules.filter((r) => r.includes('"173a"') && !r.startsWith('SUBSYSTEM=="usb"'))).toEqual([]);
  });
});

describe('main-process bundle', () => {
  it('bundles the shell and the hub core, leaving npm packages and Node built-ins external', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pochub-main-'));
    try {
      const code = readFileSync(await buildMain(join(dir, 'main.mjs')), 'utf8');
      const specifiers = [...code.matchAll(/\bfrom\s*"([^"]+)"|\bimport\s*\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
      expect(specifiers).toContain('electron');
      expect(specifiers).toContain('better-sqlite3');
      // No relative import is left: the whole TypeScript tree is inside the bundle.
      expect(specifiers.filter((s) => s.startsWith('.') || s.endsWith('.ts'))).toEqual([]);
      expect(code).toContain('hub:call');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
