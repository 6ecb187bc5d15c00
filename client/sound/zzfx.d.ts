/** The part of zzfx 1.3.2 (ZzFX.js, MIT) this client uses; the package ships no types. */
declare module "zzfx" {
  export const ZZFX: {
    volume: number;
    sampleRate: number;
    audioContext: AudioContext;
    buildSamples(...parameters: number[]): number[];
    getNote(semitoneOffset?: number, rootNoteFrequency?: number): number;
  };
}
