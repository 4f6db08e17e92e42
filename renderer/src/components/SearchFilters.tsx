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

type Option<V extends string> = { value: V; label: string };

const HAS_CLIPPINGS: readonly Option<FilterState['hasClippings']>[] = [
  { value: '', label: 'Any' },
  { value: 'yes', label: 'With clippings' },
  { value: 'no', label: 'Without' },
];

const READING: readonly Option<FilterState['reading']>[] = [
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
  const labelOptions = [{ value: '', label: 'Any' }, ...labels.map((l) => ({ value: l.id, label: l.name }))];
  return (
    <div className="filter-bar" role="group" aria-label={name} data-testid="search-filters">
      <SuggestFilter
        name="Tag"
        listId={`${id}-tags`}
        value={value.tag}
        placeholder="Any tag"
        maxLength={100}
        title="A tag, or a branch of tags: “place” finds place/Syria too"
        testId="filter-tag"
        suggestions={knownTags}
        onChange={(tag) => set({ tag })}
      />
      <SuggestFilter
        name="Source"
        listId={`${id}-sources`}
        value={value.source}
        placeholder="Any source"
        maxLength={300}
        testId="filter-source"
        suggestions={knownSources}
        onChange={(source) => set({ source })}
      />
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
      <SelectFilter name="Label" value={value.label} options={labelOptions} testId="filter-label" onChange={(label) => set({ label })} />
      {withHasClippings && <SelectFilter name="Clippings" value={value.hasClippings} options={HAS_CLIPPINGS} testId="filter-has-clippings" onChange={(hasClippings) => set({ hasClippings })} />}
      <SelectFilter name="Reading" value={value.reading} options={READING} testId="filter-reading" onChange={(reading) => set({ reading })} />
      {active > 0 && (
        <button type="button" className="btn btn-quiet btn-small filter-clear" title="Show everything again" onClick={() => onChange(NO_FILTERS)}>
          <CloseIcon size={12} />
          <span>Clear {active === 1 ? 'filter' : `${active} filters`}</span>
        </button>
      )}
    </div>
  );
}

type SuggestFilterProps = {
  name: string;
  listId: string;
  value: string;
  placeholder: string;
  maxLength: number;
  title?: string;
  testId: string;
  suggestions: readonly string[];
  onChange: (value: string) => void;
};

/** A free-text filter with suggestions (the first 500). */
function SuggestFilter({ name, listId, value, placeholder, maxLength, title, testId, suggestions, onChange }: SuggestFilterProps) {
  return (
    <label className="filter">
      <span className="filter-name">{name}</span>
      <input
        className="filter-field"
        type="text"
        list={listId}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        maxLength={maxLength}
        title={title}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId}>
        {suggestions.slice(0, 500).map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </label>
  );
}

type SelectFilterProps<V extends string> = {
  name: string;
  value: V;
  options: readonly Option<V>[];
  testId: string;
  onChange: (value: V) => void;
};

/** A filter that picks one of a few values. */
function SelectFilter<V extends string>({ name, value, options, testId, onChange }: SelectFilterProps<V>) {
  return (
    <label className="filter">
      <span className="filter-name">{name}</span>
      {/* The options are exactly the values V can take. */}
      <select className="filter-field" value={value} data-testid={testId} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What the search index is doing while it is not ready (building, catching up), with a spinner. */
export function IndexingNotice({ text, testId }: { text: string; testId: string }) {
  return (
    <p className="search-notice" role="status" data-testid={testId}>
      <span className="palette-spinner" aria-hidden="true" />
      {text}
    </p>
  );
}
