/**
 * The sound engine, loaded only after the player's first gesture with sound
 * on (a chunk of its own: `import("./engine.ts")`). The effects are made by
 * ZzFX (zzfx 1.3.2, MIT, Frank Force) from a few numbers each, and the music
 * loop from shared/sound.ts's notes, mixed once into one buffer that loops.
 * Nothing is downloaded: every sound is computed here.
 *
 * ZzFX creates its AudioContext when its module is evaluated, which is why
 * this module is imported only after a gesture: the context is then allowed
 * to run at once.
 */
import { ZZFX } from "zzfx";
import { MUSIC_BEATS, MUSIC_BEAT_SECONDS, musicLoop, type SoundEffect } from "../../shared/sound.ts";

/**
 * ZzFX parameters (volume, randomness, frequency, attack, sustain, release,
 * shape, shapeCurve, slide, deltaSlide, pitchJump, pitchJumpTime, repeatTime,
 * noise, modulation, bitCrush, delay, sustainVolume, decay, tremolo, filter).
 * Soft shapes (sine, triangle), short and not loud: a village, not an arcade.
 */
const EFFECTS: Record<SoundEffect, number[]> = {
  // A soft thump in the earth, then a little rising "pop" of a sprout.
  plant: [0.6, 0.05, 180, 0.01, 0.04, 0.12, 1, 1.5, 8, 0, 0, 0, 0, 0.3],
  // Droplets: a quick falling sine, repeated.
  water: [0.45, 0.1, 900, 0, 0.02, 0.08, 0, 1, -40, 0, 0, 0, 0.05, 0, 0, 0, 0.06],
  // A bright pluck going up.
  harvest: [0.6, 0.05, 520, 0.01, 0.05, 0.2, 1, 1.2, 0, 0, 260, 0.06],
  // Two clinks of a coin.
  coins: [0.5, 0.02, 1400, 0, 0.03, 0.15, 0, 1, 0, 0, 600, 0.05],
  // A gift arrived: a warm rising arpeggio with an echo.
  gift: [0.7, 0, 392, 0.02, 0.2, 0.5, 1, 1, 0, 0, 196, 0.1, 0.12, 0, 0, 0, 0.12, 0.8],
  // Level up: a bigger fanfare-like rise.
  levelUp: [0.7, 0, 523, 0.02, 0.25, 0.45, 1, 1, 0, 0, 262, 0.08, 0.09, 0, 0, 0, 0.1, 0.9],
  // A low, soft "nope", falling.
  error: [0.5, 0.02, 200, 0.01, 0.06, 0.16, 1, 2, -4, 0, 0, 0, 0, 0.1],
  // A tiny tick.
  click: [0.25, 0.02, 1100, 0, 0, 0.03, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5],
};

export interface SoundEngine {
  readonly context: AudioContext;
  play(effect: SoundEffect): void;
  startMusic(): void;
  stopMusic(): void;
  /** Everything quiet and the context suspended (sound turned off). */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export function createEngine(): SoundEngine {
  const context: AudioContext = ZZFX.audioContext;
  const rate = ZZFX.sampleRate;
  const master = context.createGain();
  master.gain.value = 0.9;
  master.connect(context.destination);
  const musicGain = context.createGain();
  musicGain.gain.value = 0.35;
  musicGain.connect(master);

  const buffers = new Map<SoundEffect, AudioBuffer>();
  const bufferOf = (effect: SoundEffect): AudioBuffer => {
    let buffer = buffers.get(effect);
    if (!buffer) {
      const samples = ZZFX.buildSamples(...EFFECTS[effect]) as number[];
      buffer = context.createBuffer(1, Math.max(1, samples.length), rate);
      buffer.getChannelData(0).set(samples);
      buffers.set(effect, buffer);
    }
    return buffer;
  };

  let music: AudioBufferSourceNode | null = null;
  let musicBuffer: AudioBuffer | null = null;
  const loopBuffer = (): AudioBuffer => {
    if (musicBuffer) return musicBuffer;
    const length = Math.round(MUSIC_BEATS * MUSIC_BEAT_SECONDS * rate);
    const mix = new Float32Array(length);
    for (const note of musicLoop()) {
      // A soft triangle with a slow attack and a long release; no randomness (in tune).
      const seconds = note.beats * MUSIC_BEAT_SECONDS;
      const samples = ZZFX.buildSamples(note.volume, 0, ZZFX.getNote(note.semitone), 0.04, seconds * 0.3, seconds * 0.7, 1) as number[];
      const start = Math.round(note.beat * MUSIC_BEAT_SECONDS * rate);
      // A note running past the loop's end wraps to its start, so the seam is seamless.
      for (let i = 0; i < samples.length; i++) mix[(start + i) % length]! += samples[i]!;
    }
    musicBuffer = context.createBuffer(1, length, rate);
    musicBuffer.getChannelData(0).set(mix);
    return musicBuffer;
  };

  return {
    context,
    play(effect) {
      if (context.state !== "running") return;
      const source = context.createBufferSource();
      source.buffer = bufferOf(effect);
      source.connect(master);
      source.start();
    },
    startMusic() {
      if (music) return;
      music = context.createBufferSource();
      music.buffer = loopBuffer();
      music.loop = true;
      music.connect(musicGain);
      // A gentle fade-in rather than a start at full volume.
      musicGain.gain.setValueAtTime(0, context.currentTime);
      musicGain.gain.linearRampToValueAtTime(0.35, context.currentTime + 2);
      music.start();
    },
    stopMusic() {
      music?.stop();
      music?.disconnect();
      music = null;
    },
    async pause() {
      this.stopMusic();
      await context.suspend();
    },
    async resume() {
      await context.resume();
    },
  };
}
