import { z } from 'zod';

/**
 * What Cuttings remembers between runs. Stored by electron-store in the app
 * and by its base, `conf`, in plain Node (CLI, tests, the Chromium bridge):
 * the same file, the same schema.
 */
export const SettingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  fontSize: z.number().int().min(12).max(32),
  windowBounds: z
    .object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(320), height: z.number().int().min(240) })
    .nullable(),
  /** null: the default folder under the app's user data. */
  libraryDir: z.string().min(1).nullable(),
  lastArticleId: z.string().max(64).nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  fontSize: 19,
  windowBounds: null,
  libraryDir: null,
  lastArticleId: null,
};

/** The part the renderer may change; the library folder and window bounds are main's business. */
export const SettingsPatchSchema = SettingsSchema.pick({ theme: true, fontSize: true, lastArticleId: true }).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export interface SettingsStore {
  get(): Settings;
  update(patch: Partial<Settings>): Settings;
}

/** The part of conf / electron-store we use. */
export interface ConfLike {
  store: Record<string, unknown>;
}

/**
 * Settings over a conf-like store. Each stored field is checked on read: a
 * hand-edited or damaged value falls back to its default instead of reaching
 * the app, and only validated values are ever written.
 */
export class ConfSettings implements SettingsStore {
  constructor(private readonly conf: ConfLike) {}

  get(): Settings {
    const stored = this.conf.store;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      const field = SettingsSchema.shape[key].safeParse(stored[key]);
      out[key] = field.success ? field.data : DEFAULT_SETTINGS[key];
    }
    return out as Settings;
  }

  update(patch: Partial<Settings>): Settings {
    const next = SettingsSchema.parse({ ...this.get(), ...patch });
    this.conf.store = next;
    return next;
  }
}

/** For tests: settings held in memory. */
export class MemorySettings implements SettingsStore {
  private value: Settings;
  constructor(initial: Partial<Settings> = {}) {
    this.value = SettingsSchema.parse({ ...DEFAULT_SETTINGS, ...initial });
  }
  get(): Settings {
    return this.value;
  }
  update(patch: Partial<Settings>): Settings {
    this.value = SettingsSchema.parse({ ...this.value, ...patch });
    return this.value;
  }
}
