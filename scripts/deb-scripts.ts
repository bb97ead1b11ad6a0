import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The deb package's maintainer scripts (electron-builder.yml `deb.afterInstall` / `afterRemove`).
 * A custom script replaces electron-builder's own, which does work the app needs (the /usr/bin
 * link, the chrome-sandbox mode, the AppArmor profile on Ubuntu 24+), so ours is electron-builder's
 * template of the installed version followed by the udev step; written at `npm run dist` time
 * into out/ rather than copied into the repository, so it follows electron-builder upgrades.
 */
const ROOT = resolve(import.meta.dirname, '..');
const TEMPLATES = resolve(ROOT, 'node_modules', 'app-builder-lib', 'templates', 'linux');
export const DEB_AFTER_INSTALL = resolve(ROOT, 'out', 'linux', 'after-install.tpl');
export const DEB_AFTER_REMOVE = resolve(ROOT, 'out', 'linux', 'after-remove.tpl');

/** After install: make the new rules (60-pochub.rules, owned by the package) apply to devices already plugged in. */
export const UDEV_AFTER_INSTALL = `
# POC Hub: the package installed /lib/udev/rules.d/60-pochub.rules (device access for plugdev).
getent group plugdev >/dev/null 2>&1 || groupadd --system plugdev || true
if command -v udevadm >/dev/null 2>&1; then
    udevadm control --reload-rules || true
    udevadm trigger --action=change --subsystem-match=hidraw --subsystem-match=tty --subsystem-match=usb || true
fi
`;

/** After remove: dpkg has deleted the rules file; udev forgets it. */
export const UDEV_AFTER_REMOVE = `
# POC Hub: dpkg removed /lib/udev/rules.d/60-pochub.rules.
if command -v udevadm >/dev/null 2>&1; then
    udevadm control --reload-rules || true
fi
`;

/** The two scripts' text, from electron-builder's templates in `templates`. */
export function debScripts(templates: string = TEMPLATES): { afterInstall: string; afterRemove: string } {
  const read = (name: string): string => readFileSync(resolve(templates, name), 'utf8').replace(/\n*$/, '\n');
  return { afterInstall: read('after-install.tpl') + UDEV_AFTER_INSTALL, afterRemove: read('after-remove.tpl') + UDEV_AFTER_REMOVE };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { afterInstall, afterRemove } = debScripts();
  mkdirSync(dirname(DEB_AFTER_INSTALL), { recursive: true });
  writeFileSync(DEB_AFTER_INSTALL, afterInstall);
  writeFileSync(DEB_AFTER_REMOVE, afterRemove);
  console.warn(`deb scripts: ${DEB_AFTER_INSTALL}, ${DEB_AFTER_REMOVE}`);
}
