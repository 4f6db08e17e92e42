import { useId } from 'react';
import type { LabelView } from '../lib/labels';
import { NO_FILTERS, activeFilterCount, type FilterState } from '../lib/search';
import { CloseIcon } from './icons';

type Props = {
  value: FilterState;
  onChange: (next: FilterState) => void;
  labels: readonly LabelView[];
  /** Tags and sources to suggest (the fields take any text: a tag matches the tags below it too). */
  knownTags: readonly string[];
  knownSources: readonly string[];
  /** The has-clippings control (pointless where only clippings are listed). */
  withHasClippings?: boolean;
  /** For the controls' test ids and the group's name ("Search filters", "Clipping filters"). */
  name: string;
};

const READING: readonly { value: FilterState['reading']; label: string }[] = [
  { value: '', label: 'Any' },
  { value: 'unread', label: 'Unread' },
  { value: 'reading', label: 'Started' },
  { value: 'read', label: 'Read' },
  { value: 'archived', label: 'Archived' },
];

/** Tag, source, published between, label, has clippings and reading state: every one optional, all must hold. */
export function SearchFilterBar({ value, onChange, labels, knownTags, knownSources, withHasClippings = true, name }: Props) {
  const id = useId();
  const set = (patch: Partial<FilterState>) => onChange({ ...value, ...patch });
  const active = activeFilterCount(value);
  return (
    <div className="filter-bar" role="group" aria-label={name} data-testid="search-filters">
      <label className="filter">
        <span className="filter-name">Tag</span>
        <input
          className="filter-field"
          type="text"
          list={`${id}-tags`}
          value={value.tag}
          placeholder="Any tag"
          spellCheck={false}
          maxLength={100}
          title="A tag, or a branch of tags: “place” finds place/Syria too"
          data-testid="filter-tag"
          onChange={(e) => set({ tag: e.target.value })}
        />
        <datalist id={`${id}-tags`}>
          {knownTags.slice(0, 500).map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </label>
      <label className="filter">
        <span className="filter-name">Source</span>
        <input
          className="filter-field"
          type="text"
          list={`${id}-sources`}
          value={value.source}
          placeholder="Any source"
          spellCheck={false}
          maxLength={300}
          data-testid="filter-source"
          onChange={(e) => set({ source: e.target.value })}
        />
        <datalist id={`${id}-sources`}>
          {knownSources.slice(0, 500).map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      <div className="filter filter-dates" role="group" aria-labelledby={`${id}-published`}>
        <span className="filter-name" id={`${id}-published`}>
          Published
        </span>
        <span className="filter-range">
          <input
            className="filter-field"
            type="date"
            aria-label="Published from"
            value={value.from}
            max={value.to || undefined}
            data-testid="filter-from"
            onChange={(e) => set({ from: e.target.value })}
          />
          <span className="filter-dash" aria-hidden="true">
            –
          </span>
          <input
            className="filter-field"
            type="date"
            aria-label="Published until"
            value={value.to}
            min={value.from || undefined}
            data-testid="filter-to"
            onChange={(e) => set({ to: e.target.value })}
          />
        </span>
      </div>
      <label className="filter">
        <span className="filter-name">Label</span>
        <select className="filter-field" value={value.label} data-testid="filter-label" onChange={(e) => set({ label: e.target.value })}>
          <option value="">Any</option>
          {labels.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      {withHasClippings && (
        <label className="filter">
          <span className="filter-name">Clippings</span>
          <select
            className="filter-field"
            value={value.hasClippings}
            data-testid="filter-has-clippings"
            onChange={(e) => set({ hasClippings: e.target.value as FilterState['hasClippings'] })}
          >
            <option value="">Any</option>
            <option value="yes">With clippings</option>
            <option value="no">Without</option>
          </select>
        </label>
      )}
      <label className="filter">
        <span className="filter-name">Reading</span>
        <select className="filter-field" value={value.reading} data-testid="filter-reading" onChange={(e) => set({ reading: e.target.value as FilterState['reading'] })}>
          {READING.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      {active > 0 && (
        <button type="button" className="btn btn-quiet btn-small filter-clear" title="Show everything again" onClick={() => onChange(NO_FILTERS)}>
          <CloseIcon size={12} />
          <span>Clear {active === 1 ? 'filter' : `${active} filters`}</span>
        </button>
      )}
    </div>
  );
}
