/** Operations carry only a prefix of the state: enough to tell flows apart, too little to forge one. */
export const statePrefix = (state: string) => state.slice(0, 12);
