/** A target file with a misspelled field ("callbakPage"): loading it must name the field. */
import base from '../../../../fixtures/targets/https-client/target.ts';

const { callbackPage, ...rest } = base;
export default { ...rest, callbakPage: callbackPage };
