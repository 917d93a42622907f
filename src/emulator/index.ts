/**
 * `temporal-tencent-ci-asr/emulator`: a local stand-in for the Tencent CI ASR API and the COS subset the package
 * uses, reached through the real `cos-nodejs-sdk-v5`.
 *
 * The emulator shares no code with `src/ci` (its only imports from the rest of the package are the error base and
 * the listen helper in `src/shared/`, and the process entry's plumbing): it reads the wire protocol from Tencent's
 * documentation on its own, so one shared mistake cannot make the client and the emulator agree with each other while
 * both disagree with CI. Its assumptions are listed in docs/emulator.md.
 */

export type { CallbackRetry } from './callbacks';
export type { EmulatorCounters } from './counters';
export type { FaultConfig, ForcedFailure, RouteFaults } from './faults';
export { noFaults } from './faults';
export type { EmulatorTemplate } from './submit-request';
export type { IssuedCredentials } from './sts';
export { silentWav, parseWavHeader } from './wav';
export { TRANSCRIPT_SUFFIX } from './transcript';
export { startEmulator } from './emulator';
export type { EmulatorOptions, RunningEmulator } from './options';
export type { EmulatorVariants } from './variants';
export { DEFAULT_VARIANTS, VARIANT_SETS } from './variants';
