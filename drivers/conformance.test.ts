import { defineConformanceSuite } from './kit/conformance.ts';
import { DRIVERS } from './index.ts';

for (const driver of DRIVERS) defineConformanceSuite(driver);
