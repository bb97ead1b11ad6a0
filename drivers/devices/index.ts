/**
 * The registered drivers: one line per device folder, each re-exporting the folder's
 * `<vendor><Model>Driver` (docs/adding-a-driver.md §6). This is the only list of drivers;
 * `DRIVERS` in drivers/index.ts and everything in main/ derive from it.
 */
export { abbottFreestyleLiteDriver } from './abbott-freestyle-lite/index.ts';
export { abbottFreestyleInsulinxDriver } from './abbott-freestyle-insulinx/index.ts';
export { abbottFreestyleNeoDriver } from './abbott-freestyle-neo/index.ts';
export { abbottFreestyleOptiumDriver } from './abbott-freestyle-optium/index.ts';
export { aconMissionU120Driver } from './acon-mission-u120/index.ts';
export { arkrayGlucocardExpressionDriver } from './arkray-glucocard-expression/index.ts';
export { arkrayRelionPrimeDriver } from './arkray-relion-prime/index.ts';
export { ascensiaContourNextDriver } from './ascensia-contour-next/index.ts';
export { astmUrineDriver } from './astm-urine/index.ts';
export { contecCms50Driver } from './contec-cms50/index.ts';
export { detectoSoloDriver } from './detecto-solo/index.ts';
export { geDinamapDriver } from './ge-dinamap/index.ts';
export { healthometerProfessionalDriver } from './healthometer-professional/index.ts';
export { lifescanOnetouchUltra2Driver } from './lifescan-onetouch-ultra2/index.ts';
export { lifescanOnetouchUltraeasyDriver } from './lifescan-onetouch-ultraeasy/index.ts';
export { lifescanOnetouchVerioDriver } from './lifescan-onetouch-verio/index.ts';
export { lifescanOnetouchVerioIqDriver } from './lifescan-onetouch-verio-iq/index.ts';
export { masimoRad8Driver } from './masimo-rad8/index.ts';
export { mindrayHl7Driver } from './mindray-hl7/index.ts';
export { noninAsciiDriver } from './nonin-ascii/index.ts';
export { noninOnyx9560Driver } from './nonin-onyx-9560/index.ts';
export { omronHbp9030Driver } from './omron-hbp-9030/index.ts';
export { omronHem790itDriver } from './omron-hem-790it/index.ts';
export { riceLakePhysicianDriver } from './rice-lake-physician/index.ts';
export { rocheAccuChekMobileDriver } from './roche-accu-chek-mobile/index.ts';
export { rocheAccuChekUsbDriver } from './roche-accu-chek-usb/index.ts';
export { sdCodefreeDriver } from './sd-codefree/index.ts';
export { siemensClinitekStatusDriver } from './siemens-clinitek-status/index.ts';
export { siemensClinitek50Driver } from './siemens-clinitek-50/index.ts';
export { taidocTd42xxDriver } from './taidoc-td42xx/index.ts';
export { isensCaresensDriver } from './isens-caresens/index.ts';
export { trividiaTrueMetrixDriver } from './trividia-true-metrix/index.ts';
export { welchAllynConnexSdkDriver } from './welch-allyn-connex-sdk/index.ts';
export { welchAllynSuretempPlusDriver } from './welch-allyn-suretemp-plus/index.ts';
export { ydUriscanPro2Driver } from './yd-uriscan-pro2/index.ts';
