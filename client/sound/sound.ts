/**
 * The game's sound: off for a new player, a toggle in the top bar, the
 * choice kept on the player (GET/PATCH /api/me/preferences, so it follows
 * them to every device) and, for a quicker start, on this device under the
 * player's id. Nothing is made before a gesture of the player's on the page
 * (the first pointer down or key press), and the audio code (ZzFX, the music)
 * is loaded only then, and only with sound on (client/sound/engine.ts).
 */
import { afterToggle, mayMakeSound, soundOnAtStart, type PreferencesRequest, type PreferencesView, type SoundEffect } from "../../shared/sound.ts";
import { onLocaleChange } from "../i18n.ts";
import { request } from "../net/api.ts";
import { storageGet, storageSet } from "../storage.ts";
import type { SoundEngine } from "./engine.ts";
import { SoundToggle } from "./sound-toggle.ts";

const deviceKey = (playerId: string) => `hameau.sound.${playerId}`;

export class Sound {
  private on = false;
  private gestured = false;
  private engine: SoundEngine | null = null;
  private loading: Promise<SoundEngine> | null = null;
  private token: string | undefined;
  private playerId: string | undefined;
  private readonly toggle: SoundToggle;
  /** The last effects played, newest last (for the test hooks). */
  readonly played: SoundEffect[] = [];

  constructor() {
    this.toggle = new SoundToggle(() => this.pressed());
    this.toggle.render(this.on);
    onLocaleChange(() => this.toggle.render(this.on));
    const gesture = () => {
      removeEventListener("pointerdown", gesture, true);
      removeEventListener("keydown", gesture, true);
      this.gestured = true;
      void this.startAudio();
    };
    addEventListener("pointerdown", gesture, true);
    addEventListener("keydown", gesture, true);
  }

  /** Whether sound is on (for the test hooks). */
  get isOn(): boolean {
    return this.on;
  }

  /** The audio context's state, or "none" before one was made (for the test hooks). */
  get audioState(): AudioContextState | "none" {
    return this.engine?.context.state ?? "none";
  }

  /** The session is open: this player's choice, from this device first, then from the server. */
  async started(session: { token: string; player: { id: string } }): Promise<void> {
    this.token = session.token;
    this.playerId = session.player.id;
    const onThisDevice = storageGet(deviceKey(this.playerId));
    this.set(soundOnAtStart(undefined, onThisDevice === null ? null : onThisDevice === "on"));
    try {
      const saved = await request<PreferencesView>("GET", "/api/me/preferences", { token: session.token });
      this.set(soundOnAtStart(saved.soundOn, null));
    } catch {
      // Unreachable server: this device's last choice stands.
    }
  }

  /** Plays an effect, when sound is on and the player has touched the page (never queued for later). */
  play(effect: SoundEffect): void {
    if (!mayMakeSound({ soundOn: this.on, gestured: this.gestured }) || this.engine?.context.state !== "running") return;
    this.engine.play(effect);
    this.played.push(effect);
    if (this.played.length > 20) this.played.shift();
  }

  private set(on: boolean): void {
    this.on = on;
    if (this.playerId) storageSet(deviceKey(this.playerId), on ? "on" : "off");
    this.toggle.render(on);
    if (on) void this.startAudio();
    else void this.engine?.pause();
  }

  /** The toggle was pressed: itself a gesture. */
  private pressed(): void {
    this.gestured = true;
    const next = afterToggle(this.on);
    this.set(next.soundOn);
    if (next.audio === "start") void this.startAudio().then(() => this.play("click"));
    if (this.token) {
      const body: PreferencesRequest = { soundOn: next.soundOn };
      // Kept on this device already; the server's copy follows the player to their other devices.
      request<PreferencesView>("PATCH", "/api/me/preferences", { token: this.token, body }).catch(() => undefined);
    }
  }

  private async startAudio(): Promise<void> {
    if (!mayMakeSound({ soundOn: this.on, gestured: this.gestured })) return;
    this.loading ??= import("./engine.ts").then((m) => (this.engine = m.createEngine()));
    const engine = await this.loading;
    // Turned off again while loading: a context made after a gesture starts running, so
    // suspend it (nothing plays, nothing keeps the audio device awake).
    if (!this.on) {
      await engine.pause();
      return;
    }
    await engine.resume();
    engine.startMusic();
  }
}
