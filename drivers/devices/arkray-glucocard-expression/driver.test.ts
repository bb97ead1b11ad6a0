import { describe } from 'vitest';
import { memoryMeterSessionTests } from '../../../test/helpers/meter-session-tests.ts';
import { arkrayGlucocardExpressionDriver as driver } from './driver.ts';

const START = Date.UTC(2026, 2, 2, 14, 0, 0);

describe('arkray-glucocard-expression session against its simulator', () => {
  memoryMeterSessionTests(driver, START);
});
