import type { Settings } from '../../../electron/settings/settings';
import { MonitorIcon, MoonIcon, SunIcon } from './icons';

type Props = {
  settings: Settings;
  onChange: (patch: Partial<Pick<Settings, 'theme' | 'fontSize'>>) => void;
};

const THEMES = [
  { value: 'system', label: 'System theme', Icon: MonitorIcon },
  { value: 'light', label: 'Light theme', Icon: SunIcon },
  { value: 'dark', label: 'Dark theme', Icon: MoonIcon },
] as const;

export const FONT_MIN = 12;
export const FONT_MAX = 32;

/** Theme and reading size, persisted through settings.update. */
export function ViewControls({ settings, onChange }: Props) {
  return (
    <div className="view-controls">
      <div className="segmented" role="group" aria-label="Theme">
        {THEMES.map(({ value, label, Icon }) => (
          <button
            key={value}
            type="button"
            aria-label={label}
            title={label}
            aria-pressed={settings.theme === value}
            className={settings.theme === value ? 'is-on' : ''}
            onClick={() => onChange({ theme: value })}
          >
            <Icon />
          </button>
        ))}
      </div>
      <div className="segmented" role="group" aria-label="Text size">
        <button
          type="button"
          aria-label="Smaller text"
          title="Smaller text"
          disabled={settings.fontSize <= FONT_MIN}
          onClick={() => onChange({ fontSize: settings.fontSize - 1 })}
        >
          <span className="font-small">A</span>
        </button>
        <span className="font-size" title="Reading text size">
          {settings.fontSize}px
        </span>
        <button
          type="button"
          aria-label="Larger text"
          title="Larger text"
          disabled={settings.fontSize >= FONT_MAX}
          onClick={() => onChange({ fontSize: settings.fontSize + 1 })}
        >
          <span className="font-large">A</span>
        </button>
      </div>
    </div>
  );
}
