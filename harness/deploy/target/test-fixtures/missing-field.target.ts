/** A target file without `startFlow`: loading it must name the field. */
import base from '../../../../fixtures/targets/https-client/target.ts';

const { startFlow: _startFlow, ...rest } = base;
export default rest;
