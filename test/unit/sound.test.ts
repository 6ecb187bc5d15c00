/** The sound rules of shared/sound.ts: muted on a first visit, the server's word first, nothing before a gesture, the music loop. */
import { describe, expect, it } from "vitest";
import { afterToggle, mayMakeSound, MUSIC_BEATS, musicLoop, PreferencesRequest, soundOnAtStart } from "../../shared/sound.ts";

describe("sound preference", () => {
  it("is off on a first visit (nothing known anywhere)", () => {
    expect(soundOnAtStart(undefined, null)).toBe(false);
  });

  it("takes this device's last choice until the server answers, then the server's", () => {
    expect(soundOnAtStart(undefined, true)).toBe(true);
    expect(soundOnAtStart(undefined, false)).toBe(false);
    // Turned off on another device: the server's word wins over this device's memory.
    expect(soundOnAtStart(false, true)).toBe(false);
    expect(soundOnAtStart(true, null)).toBe(true);
    expect(soundOnAtStart(true, false)).toBe(true);
  });

  it("makes no sound before a gesture, nor with sound off", () => {
    expect(mayMakeSound({ soundOn: true, gestured: false })).toBe(false);
    expect(mayMakeSound({ soundOn: false, gestured: true })).toBe(false);
    expect(mayMakeSound({ soundOn: false, gestured: false })).toBe(false);
    expect(mayMakeSound({ soundOn: true, gestured: true })).toBe(true);
  });

  it("toggles on (starting the audio) and off (stopping it)", () => {
    expect(afterToggle(false)).toEqual({ soundOn: true, audio: "start" });
    expect(afterToggle(true)).toEqual({ soundOn: false, audio: "stop" });
  });

  it("accepts only a boolean soundOn and nothing else", () => {
    expect(PreferencesRequest.safeParse({ soundOn: true }).success).toBe(true);
    expect(PreferencesRequest.safeParse({}).success).toBe(true);
    for (const bad of [{ soundOn: "true" }, { soundOn: 1 }, { soundOn: null }, { soundOn: true, music: true }, null, []]) {
      expect(PreferencesRequest.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("music loop", () => {
  const notes = musicLoop();
  const C_MAJOR_PENTATONIC = new Set([0, 2, 4, 7, 9]);

  it("is the same every time", () => {
    expect(musicLoop()).toEqual(notes);
  });

  it("fits in its beats, on the pentatonic scale, and gently (no note above half volume)", () => {
    expect(notes.length).toBeGreaterThan(16);
    for (const note of notes) {
      expect(note.beat).toBeGreaterThanOrEqual(0);
      expect(note.beat).toBeLessThan(MUSIC_BEATS);
      expect(note.beats).toBeGreaterThan(0);
      expect(note.volume).toBeGreaterThan(0);
      expect(note.volume).toBeLessThanOrEqual(0.5);
      // Semitones from A4 back to C: every note is C, D, E, G or A.
      expect(C_MAJOR_PENTATONIC.has((((note.semitone + 9) % 12) + 12) % 12), String(note.semitone)).toBe(true);
    }
  });

  it("starts and ends on the home note, so the loop has no seam", () => {
    const tune = notes.filter((n) => n.volume === 0.5);
    expect(((tune[0]!.semitone + 9) % 12 + 12) % 12).toBe(0);
    expect(((tune.at(-1)!.semitone + 9) % 12 + 12) % 12).toBe(0);
  });
});
